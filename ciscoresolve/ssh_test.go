package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stg-project/stg/snmp"
)

// cli is a fake Runner answering from fixture files; unknown commands get
// IOS's `% Invalid input`. It records the commands run.
type cli struct {
	t        *testing.T
	outputs  map[string]string // command → fixture file
	commands []string
}

func (c *cli) Run(_ context.Context, command string) (string, error) {
	c.commands = append(c.commands, command)
	file, ok := c.outputs[command]
	if !ok {
		return "% Invalid input detected at '^' marker.\n", nil
	}
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(b), nil
}

func TestSSHResolve(t *testing.T) {
	const ifindexCmd = "show snmp mib ifmib ifindex "
	tests := []struct {
		name      string
		outputs   map[string]string
		user      string
		wantIndex int
		wantNote  bool
		wantErr   error
		wantInErr []string
		wantCmds  []string
	}{
		{
			name:      "show users then ifindex",
			outputs:   map[string]string{"show users": "show_users_ios.txt", ifindexCmd + "Virtual-Access1.195": "ifindex_one.txt"},
			user:      "MyUserName",
			wantIndex: 257,
			wantCmds:  []string{"show users", ifindexCmd + "Virtual-Access1.195"},
		},
		{
			name:      "IOS-XE names the user show users does not",
			outputs:   map[string]string{"show users": "show_users_iosxr.txt", "show subscriber session username MyUserName": "subscriber_iosxe.txt", ifindexCmd + "Virtual-Access1.1": "ifindex_va1_1.txt"},
			user:      "MyUserName",
			wantIndex: 12,
		},
		{
			name:      "cut name unique, no way to confirm",
			outputs:   map[string]string{"show users": "show_users_ios.txt", ifindexCmd + "Virtual-Access2.1": "ifindex_va2_1.txt"},
			user:      "lns-user@wholesale.example",
			wantIndex: 301,
			wantNote:  true,
			wantCmds:  []string{"show users", "show subscriber session username lns-user@wholesale.example", ifindexCmd + "Virtual-Access2.1"},
		},
		{
			name:      "cut name ambiguous",
			outputs:   map[string]string{"show users": "show_users_cut.txt"},
			user:      "verylongsubscriber@isp.example",
			wantErr:   ErrNotFound,
			wantInErr: []string{"Vi5.1, Vi5.2", "cannot say which"},
		},
		{
			name:      "not found lists near matches",
			outputs:   map[string]string{"show users": "show_users_ios.txt", "show subscriber session username MyUserNam": "subscriber_none.txt"},
			user:      "MyUserNam",
			wantErr:   ErrNotFound,
			wantInErr: []string{"MyUserName", "show users", "show subscriber session username"},
		},
		{
			name:      "interface without ifIndex",
			outputs:   map[string]string{"show users": "show_users_ios.txt"},
			user:      "MyUserName",
			wantErr:   ErrNotInIFMIB,
			wantInErr: []string{"virtual-template snmp"},
		},
		{
			name:      "username that would inject a filter",
			outputs:   map[string]string{},
			user:      "a | include b",
			wantInErr: []string{"cannot be passed"},
			wantCmds:  []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &cli{t: t, outputs: tt.outputs}
			res, err := (&SSH{CLI: c, Router: "bras1"}).Resolve(context.Background(), tt.user)
			if tt.wantCmds != nil && strings.Join(c.commands, "|") != strings.Join(tt.wantCmds, "|") {
				t.Errorf("commands %q, want %q", c.commands, tt.wantCmds)
			}
			if tt.wantErr != nil || tt.wantInErr != nil {
				if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				for _, s := range tt.wantInErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not mention %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.IfIndex != tt.wantIndex || res.Method != MethodSSH || res.IdentityOID != fmt.Sprintf("%s.%d", snmp.OIDIfDescr, tt.wantIndex) || res.IdentityValue != res.IfDescr {
				t.Errorf("got %+v", res)
			}
			if (res.Note != "") != tt.wantNote {
				t.Errorf("note %q, want a note: %v", res.Note, tt.wantNote)
			}
			if !strings.HasPrefix(res.IfDescr, "Virtual-Access") || !strings.HasPrefix(res.IfName, "Vi") {
				t.Errorf("names %q %q", res.IfDescr, res.IfName)
			}
		})
	}
}

func TestSSHResolveConfirm(t *testing.T) {
	outputs := map[string]string{"show users": "show_users_ios.txt", "show snmp mib ifmib ifindex Virtual-Access1.195": "ifindex_one.txt"}
	tests := []struct {
		name    string
		descr   string
		wantErr bool
	}{
		{"SNMP agrees", "Virtual-Access1.195", false},
		{"SNMP disagrees", "Virtual-Access9.9", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := bras{ifs: map[int][3]string{257: {tt.descr, "Vi-snmp", ""}}}.fake()
			res, err := (&SSH{CLI: &cli{t: t, outputs: outputs}, Router: "bras1", Confirm: f}).Resolve(context.Background(), "MyUserName")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && res.IfName != "Vi-snmp" {
				t.Errorf("ifName %q not read over SNMP", res.IfName)
			}
		})
	}
}

// TestSSHResolveIdentity: an SSH answer is followed by csubSessionUsername
// when the router has it for the user's ifIndex (a reused Virtual-Access
// keeps its ifDescr, so ifDescr cannot tell a new subscriber), else ifDescr.
func TestSSHResolveIdentity(t *testing.T) {
	outputs := map[string]string{"show users": "show_users_ios.txt", "show snmp mib ifmib ifindex Virtual-Access1.195": "ifindex_one.txt"}
	tests := []struct {
		name      string
		csub      map[int]string
		wantOID   string
		wantValue string
	}{
		{"subscriber MIB names the user", map[int]string{257: "MyUserName"}, OIDCsubSessionUsername + ".257", "MyUserName"},
		{"subscriber MIB names someone else", map[int]string{257: "anna"}, snmp.OIDIfDescr + ".257", "Virtual-Access1.195"},
		{"no subscriber MIB", nil, snmp.OIDIfDescr + ".257", "Virtual-Access1.195"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := bras{csub: tt.csub, ifs: ciscoIfs}.fake()
			res, err := (&SSH{CLI: &cli{t: t, outputs: outputs}, Router: "bras1", Confirm: f}).Resolve(context.Background(), "MyUserName")
			if err != nil {
				t.Fatal(err)
			}
			if res.IdentityOID != tt.wantOID || res.IdentityValue != tt.wantValue {
				t.Errorf("identity %s = %q, want %s = %q", res.IdentityOID, res.IdentityValue, tt.wantOID, tt.wantValue)
			}
		})
	}
}
