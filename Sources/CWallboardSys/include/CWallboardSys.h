// Thin wrappers for the pseudo-terminal, termios, ioctl and spawning calls that Swift's Glibc module
// hides or cannot call (variadic ioctl, macros, bit fields).
#ifndef CWALLBOARDSYS_H
#define CWALLBOARDSYS_H

#include <spawn.h>
#include <stddef.h>
#include <termios.h>

/// openpty(3): a controller/device pseudo-terminal pair. Returns 0 or -1 with errno set.
int wb_openpty(int *controller, int *device);
/// posix_openpt(3), grantpt(3), unlockpt(3), ptsname_r(3).
int wb_posix_openpt(int flags);
int wb_grantpt(int fd);
int wb_unlockpt(int fd);
int wb_ptsname_r(int fd, char *buffer, size_t length);

/// termios helpers.
void wb_cfmakeraw(struct termios *attributes);
void wb_set_read_minimum(struct termios *attributes, unsigned char minimum, unsigned char tenths);
/// The speed_t for a baud rate, or 0 when the kernel has no constant for it.
speed_t wb_speed_for_baud(unsigned int baud);
/// The baud rate a speed_t stands for, or 0 when unknown.
unsigned int wb_baud_for_speed(speed_t speed);
tcflag_t wb_flag_crtscts(void);
tcflag_t wb_flag_cmspar(void);

/// 1 if fd is the device end of a Unix98 pseudo-terminal (majors 136–143), else 0.
int wb_is_pseudo_terminal(int fd);
/// ioctl(TIOCEXCL): no other process may open the terminal while we hold it.
int wb_set_exclusive(int fd);
/// ioctl(TIOCNXCL): undo TIOCEXCL before closing, so the port can be reopened.
int wb_clear_exclusive(int fd);
/// ioctl(TIOCSRS485): let the kernel drive RTS as the RS-485 transmit enable.
/// Delays are in milliseconds. Returns 0 or -1 with errno set.
int wb_set_rs485(int fd, int rts_on_send, unsigned int delay_before_send, unsigned int delay_after_send);
/// ioctl(TIOCGRS485): 1 if RS-485 mode is on, 0 if off, -1 with errno set.
int wb_get_rs485_enabled(int fd);

/// epoll(7), wrapped because struct epoll_event is packed. The event's data is the descriptor.
int wb_epoll_create(void);
/// Watches `fd` for reading for as long as it is open (not one-shot: the wait loop's wake
/// pipe). Returns 0 or -1 with errno set.
int wb_epoll_watch_readable(int epoll_fd, int fd);
/// Arms `fd` to be reported once for the wanted directions (EPOLLONESHOT): epoll then keeps it
/// unarmed until the next call. Modifies it when `registered`, adds it otherwise, and tries the
/// other when epoll's record disagrees. Returns 0 or -1 with errno set.
int wb_epoll_arm(int epoll_fd, int fd, int registered, int want_readable, int want_writable);
/// Stops watching `fd`. Returns 0 or -1 with errno set.
int wb_epoll_forget(int epoll_fd, int fd);
/// epoll_wait(2): fills descriptors[i] and readiness[i] (bit 0 readable, bit 1 writable; errors
/// and hang-ups set both, so the next read or write reports them). Returns the count, or -1.
int wb_epoll_wait(int epoll_fd, int *descriptors, unsigned int *readiness, int capacity, int timeout_ms);
/// pipe2(2) with O_NONBLOCK | O_CLOEXEC on both ends.
int wb_nonblocking_pipe(int ends[2]);
/// pthread_setname_np(3) for the calling thread (names longer than 15 bytes are cut).
void wb_name_current_thread(const char *name);
/// posix_spawn_file_actions_addchdir_np(3): the spawned program starts in `path`.
int wb_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
