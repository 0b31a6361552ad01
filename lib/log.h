/*
 * Error log: one line per failure on stderr, which nginx (or the CGI host)
 * keeps; it names the program, the process and the request being served.
 */
#ifndef TENP5_LOG_H
#define TENP5_LOG_H

void log_init(const char *prog);
/* Sets the request number printed with later lines (0: none). */
void log_request(unsigned long id);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
