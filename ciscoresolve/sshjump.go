package ciscoresolve

import (
	"context"
	"fmt"
	"net"

	"golang.org/x/crypto/ssh"
)

// dialJumps reaches the host through its Jumps as OpenSSH's ProxyJump
// does: a TCP connection to the first, a login there (its host key
// checked against its own known_hosts), then a channel from each jump
// host to the next and, from the last, to the host. The returned func
// closes the jump hosts' connections, last first.
func (c *SSHConfig) dialJumps(ctx context.Context) (net.Conn, func(), error) {
	var clients []*ssh.Client
	closeAll := func() {
		for i := len(clients) - 1; i >= 0; i-- {
			clients[i].Close()
		}
	}
	var conn net.Conn
	var err error
	for i, hop := range c.Jumps {
		if i == 0 {
			conn, err = hop.dialTCP(ctx)
		} else {
			conn, err = clients[i-1].DialContext(ctx, "tcp", hop.addr())
			if err != nil {
				err = fmt.Errorf("ssh to %s through jump host %s: %w", hop.addr(), c.Jumps[i-1].addr(), err)
			}
		}
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("jump host %d of %d: %w", i+1, len(c.Jumps), err)
		}
		client, err := hop.login(ctx, conn)
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("jump host %d of %d: %w", i+1, len(c.Jumps), err)
		}
		clients = append(clients, client)
	}
	last := c.Jumps[len(c.Jumps)-1]
	conn, err = clients[len(clients)-1].DialContext(ctx, "tcp", c.addr())
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("ssh to %s through jump host %s: %w", c.addr(), last.addr(), err)
	}
	return conn, closeAll, nil
}
