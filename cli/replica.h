/*
 * Bringing a replica back as a database: 10p5-admin restore-replica.
 */
#ifndef REPLICA_H
#define REPLICA_H

/* Restores the newest state of the replica at url (file:///dir or
 * sftp://user@host/dir, as the replication's configuration names it) into
 * db_path, whose directory must exist, be empty and belong to the user
 * running this. Returns 1 when the
 * database is in place, 0 (having said why on stderr, and left the
 * directory empty) otherwise. */
int replica_restore(const char *db_path, const char *url);

#endif
