/* libFuzzer harness: the form-urlencoded parser, then field validation. */
#include "body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	return fuzz_body(data, len, form_parse);
}
