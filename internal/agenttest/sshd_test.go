package agenttest

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestStartSshd(t *testing.T) {
	s := StartSshd(t, map[string]string{
		"show users":   "header\nrow\n",
		"it's quoted;": "quoted ok\n",
	})
	known := t.TempDir() + "/known_hosts"
	writeFile(t, known, s.KnownHostsLine()+"\n", 0o600)
	tests := []struct {
		command, want string
	}{
		{"show users", "header\nrow\n"},
		{"it's quoted;", "quoted ok\n"},
		{"show version", InvalidInput + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.command, func(t *testing.T) {
			cmd := exec.Command("ssh", "-F", "/dev/null", "-i", s.ClientKey, "-p", strconv.Itoa(s.Port),
				"-o", "UserKnownHostsFile="+known, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
				"-o", "ConnectTimeout=5", s.User+"@"+s.Host, tt.command)
			timer := time.AfterFunc(20*time.Second, func() { _ = cmd.Process.Kill() })
			defer timer.Stop()
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("ssh %q: %v", tt.command, err)
			}
			if string(out) != tt.want {
				t.Errorf("output %q, want %q", out, tt.want)
			}
		})
	}
	if got := strings.Join(s.Commands(), "|"); got != "show users|it's quoted;|show version" {
		t.Errorf("Commands() = %q", got)
	}
}
