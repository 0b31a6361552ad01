/* libFuzzer harness: the flat JSON body parser, then field validation. */
#include "body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	return fuzz_body(data, len, json_body_parse);
}
