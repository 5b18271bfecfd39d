/*
 * Ferry core: the system calls on the data path, bound by JNI for io.ferry.core.jni.NativeIo.
 *
 * Every buffer, struct and out-parameter arrives as a native address (jlong); nothing is
 * marshalled, nothing allocated. Each function returns what the C call returns on success and
 * -errno on failure, so the caller needs no second call to fetch errno. send/recv/sendmsg/write
 * retry EINTR; epoll_wait returns -EINTR (the event loop re-checks its state and polls again).
 *
 * Built by bundles/core/pom.xml (exec-maven-plugin, gcc -shared -fPIC) into
 * META-INF/native/linux-<arch>/libferry-core-io.so. Keep FERRY_IO_ABI in step with NativeIo.ABI.
 */
#include <jni.h>
#include <errno.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>

#define FERRY_IO_ABI 1
#define PTR(address) ((void *) (intptr_t) (address))
#define RESULT(n) ((n) < 0 ? -(jlong) errno : (jlong) (n))
/* The body of a read or write call: repeat while interrupted, answer n or -errno. */
#define RETURN_RETRYING_EINTR(call) \
    ssize_t n; \
    do { \
        n = (call); \
    } while (n < 0 && errno == EINTR); \
    return RESULT(n)

JNIEXPORT jint JNICALL Java_io_ferry_core_jni_NativeIo_abi0(JNIEnv *env, jclass cls) {
    return FERRY_IO_ABI;
}

JNIEXPORT jlong JNICALL Java_io_ferry_core_jni_NativeIo_recv0(JNIEnv *env, jclass cls, jint fd, jlong buf, jlong len,
        jint flags) {
    RETURN_RETRYING_EINTR(recv(fd, PTR(buf), (size_t) len, flags));
}

JNIEXPORT jlong JNICALL Java_io_ferry_core_jni_NativeIo_send0(JNIEnv *env, jclass cls, jint fd, jlong buf, jlong len,
        jint flags) {
    RETURN_RETRYING_EINTR(send(fd, PTR(buf), (size_t) len, flags));
}

JNIEXPORT jlong JNICALL Java_io_ferry_core_jni_NativeIo_sendmsg0(JNIEnv *env, jclass cls, jint fd, jlong msghdr,
        jint flags) {
    RETURN_RETRYING_EINTR(sendmsg(fd, (const struct msghdr *) PTR(msghdr), flags));
}

JNIEXPORT jlong JNICALL Java_io_ferry_core_jni_NativeIo_write0(JNIEnv *env, jclass cls, jint fd, jlong buf, jlong len) {
    RETURN_RETRYING_EINTR(write(fd, PTR(buf), (size_t) len));
}

JNIEXPORT jint JNICALL Java_io_ferry_core_jni_NativeIo_epollWait0(JNIEnv *env, jclass cls, jint epfd, jlong events,
        jint max_events, jint timeout_millis) {
    int n = epoll_wait(epfd, (struct epoll_event *) PTR(events), max_events, timeout_millis);
    return n < 0 ? -errno : n;
}

JNIEXPORT jint JNICALL Java_io_ferry_core_jni_NativeIo_epollCtl0(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd,
        jlong event) {
    int r = epoll_ctl(epfd, op, fd, (struct epoll_event *) PTR(event));
    return r < 0 ? -errno : r;
}

JNIEXPORT jint JNICALL Java_io_ferry_core_jni_NativeIo_timerfdSettime0(JNIEnv *env, jclass cls, jint fd, jint flags,
        jlong new_value, jlong old_value) {
    int r = timerfd_settime(fd, flags, (const struct itimerspec *) PTR(new_value), (struct itimerspec *) PTR(old_value));
    return r < 0 ? -errno : r;
}
