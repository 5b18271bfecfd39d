/**
 * Reliability and security tests of the shm server and client library across real processes:
 * a client killed with SIGKILL mid-write, a client of another uid, a crashed server's leftovers,
 * and thousands of open/close cycles — each counting descriptors and mappings before and after.
 */
package io.ferry.netstack.shm.reliability;
