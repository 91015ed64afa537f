//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package prompt

import (
	"context"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Password asks for a password on the controlling terminal, without
// echo, and gives up when ctx ends, erasing the prompt. The terminal keeps
// its line editing and Ctrl-C.
func Password(ctx context.Context, prompt string) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("no terminal to ask for the SSH password (set STG_SSH_PASS): %w", err)
	}
	defer tty.Close()
	// Fd would put the file in blocking mode, where a read deadline does
	// not apply: the terminal is set through the raw connection instead.
	raw, err := tty.SyscallConn()
	if err != nil {
		return "", fmt.Errorf("ask for the SSH password: %w", err)
	}
	var saved *unix.Termios
	var serr error
	cerr := raw.Control(func(fd uintptr) {
		saved, serr = unix.IoctlGetTermios(int(fd), ioctlGetTermios)
		if serr != nil {
			return
		}
		quiet := *saved
		quiet.Lflag &^= unix.ECHO
		quiet.Lflag |= unix.ICANON | unix.ISIG
		quiet.Iflag |= unix.ICRNL
		serr = unix.IoctlSetTermios(int(fd), ioctlSetTermios, &quiet)
	})
	if cerr != nil || serr != nil {
		return "", fmt.Errorf("ask for the SSH password: turn off echo on the terminal: %v", firstError(cerr, serr))
	}
	defer raw.Control(func(fd uintptr) { _ = unix.IoctlSetTermios(int(fd), ioctlSetTermios, saved) })
	fmt.Fprint(tty, prompt)
	stop := context.AfterFunc(ctx, func() { _ = tty.SetReadDeadline(time.Now()) })
	pw, err := readPasswordLine(tty)
	stop()
	if ctx.Err() != nil {
		fmt.Fprint(tty, "\r\x1b[K") // withdrawn: the prompt line goes away
		return "", ctx.Err()
	}
	fmt.Fprint(tty, "\r\n")
	return pw, err
}

// firstError returns the first error that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
