/** Fixtures shared by the messenger tests: a posix stack on epoll, recording dispatchers and listeners. */
package io.ferry.messenger.testing;
