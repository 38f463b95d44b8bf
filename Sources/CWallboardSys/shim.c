#define _GNU_SOURCE
#include "CWallboardSys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/serial.h>
#include <pthread.h>
#include <pty.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int wb_openpty(int *controller, int *device) {
    return openpty(controller, device, NULL, NULL, NULL);
}

int wb_posix_openpt(int flags) { return posix_openpt(flags); }
int wb_grantpt(int fd) { return grantpt(fd); }
int wb_unlockpt(int fd) { return unlockpt(fd); }
int wb_ptsname_r(int fd, char *buffer, size_t length) { return ptsname_r(fd, buffer, length); }

void wb_cfmakeraw(struct termios *attributes) { cfmakeraw(attributes); }

void wb_set_read_minimum(struct termios *attributes, unsigned char minimum, unsigned char tenths) {
    attributes->c_cc[VMIN] = minimum;
    attributes->c_cc[VTIME] = tenths;
}

static const struct { unsigned int baud; speed_t speed; } speeds[] = {
    {50, B50}, {75, B75}, {110, B110}, {134, B134}, {150, B150}, {200, B200}, {300, B300},
    {600, B600}, {1200, B1200}, {1800, B1800}, {2400, B2400}, {4800, B4800}, {9600, B9600},
    {19200, B19200}, {38400, B38400}, {57600, B57600}, {115200, B115200}, {230400, B230400},
    {460800, B460800}, {500000, B500000}, {576000, B576000}, {921600, B921600},
    {1000000, B1000000}, {1152000, B1152000}, {1500000, B1500000}, {2000000, B2000000},
};

speed_t wb_speed_for_baud(unsigned int baud) {
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
        if (speeds[i].baud == baud) return speeds[i].speed;
    return 0;
}

unsigned int wb_baud_for_speed(speed_t speed) {
    for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++)
        if (speeds[i].speed == speed) return speeds[i].baud;
    return 0;
}

tcflag_t wb_flag_crtscts(void) { return CRTSCTS; }
tcflag_t wb_flag_cmspar(void) { return CMSPAR; }

int wb_is_pseudo_terminal(int fd) {
    struct stat status;
    if (fstat(fd, &status) != 0 || !S_ISCHR(status.st_mode)) return 0;
    unsigned int device_major = major(status.st_rdev);
    return device_major >= 136 && device_major <= 143;
}

int wb_set_exclusive(int fd) { return ioctl(fd, TIOCEXCL); }
int wb_clear_exclusive(int fd) { return ioctl(fd, TIOCNXCL); }

int wb_set_rs485(int fd, int rts_on_send, unsigned int delay_before_send, unsigned int delay_after_send) {
    struct serial_rs485 settings;
    memset(&settings, 0, sizeof settings);
    settings.flags = SER_RS485_ENABLED | (rts_on_send ? SER_RS485_RTS_ON_SEND : SER_RS485_RTS_AFTER_SEND);
    settings.delay_rts_before_send = delay_before_send;
    settings.delay_rts_after_send = delay_after_send;
    return ioctl(fd, TIOCSRS485, &settings);
}

int wb_get_rs485_enabled(int fd) {
    struct serial_rs485 settings;
    memset(&settings, 0, sizeof settings);
    if (ioctl(fd, TIOCGRS485, &settings) != 0) return -1;
    return (settings.flags & SER_RS485_ENABLED) ? 1 : 0;
}

int wb_nonblocking_pipe(int ends[2]) { return pipe2(ends, O_NONBLOCK | O_CLOEXEC); }

void wb_name_current_thread(const char *name) {
    char shortened[16];
    strncpy(shortened, name, sizeof shortened - 1);
    shortened[sizeof shortened - 1] = '\0';
    pthread_setname_np(pthread_self(), shortened);
}

int wb_spawn_file_actions_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int wb_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

int wb_epoll_watch_readable(int epoll_fd, int fd) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = EPOLLIN;
    event.data.fd = fd;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
}

int wb_epoll_arm(int epoll_fd, int fd, int registered, int want_readable, int want_writable) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = EPOLLONESHOT | (want_readable ? EPOLLIN | EPOLLRDHUP : 0) | (want_writable ? EPOLLOUT : 0);
    event.data.fd = fd;
    if (epoll_ctl(epoll_fd, registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &event) == 0) return 0;
    if (registered && errno == ENOENT) return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
    if (!registered && errno == EEXIST) return epoll_ctl(epoll_fd, EPOLL_CTL_MOD, fd, &event);
    return -1;
}

int wb_epoll_forget(int epoll_fd, int fd) { return epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, NULL); }

int wb_epoll_wait(int epoll_fd, int *descriptors, unsigned int *readiness, int capacity, int timeout_ms) {
    struct epoll_event events[64];
    if (capacity > 64) capacity = 64;
    int count = epoll_wait(epoll_fd, events, capacity, timeout_ms);
    for (int i = 0; i < count; i++) {
        unsigned int flags = events[i].events;
        unsigned int failed = flags & (EPOLLERR | EPOLLHUP) ? 3u : 0u;
        descriptors[i] = events[i].data.fd;
        readiness[i] = failed | (flags & (EPOLLIN | EPOLLRDHUP) ? 1u : 0u) | (flags & EPOLLOUT ? 2u : 0u);
    }
    return count;
}
