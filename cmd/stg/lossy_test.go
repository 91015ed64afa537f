package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/internal/cli"
	"github.com/stg-project/stg/internal/faultproxy"
)

// lossyLink is the bad link of the start-up tests: it drops 20% of the
// agent's replies and holds back 30% of the others by up to 800 ms.
var lossyLink = faultproxy.Faults{Drop: 0.2, Delayed: 0.3, MaxDelay: 800 * time.Millisecond}

const lossyCommunity = "lossy-c0mmunity"

// lossyRun is one run of stg through a proxy of its own.
type lossyRun struct {
	proxy          *faultproxy.Proxy
	code           int
	stdout, stderr bytes.Buffer
}

// runThroughProxies runs stg once per args list, all at once, each
// through its own fault proxy in front of upstream (seeded by its number,
// so each run meets the same faults every time), with default SNMP flags.
func runThroughProxies(t *testing.T, upstream string, faults faultproxy.Faults, args [][]string) []*lossyRun {
	t.Helper()
	runs := make([]*lossyRun, len(args))
	var wg sync.WaitGroup
	for i, a := range args {
		r := &lossyRun{proxy: faultproxy.Start(t, faultproxy.Config{Upstream: upstream, ToClient: faults, Seed: uint64(i + 1)})}
		runs[i] = r
		a = append([]string{}, a...)
		for k := range a {
			a[k] = strings.ReplaceAll(a[k], "PROXY", r.proxy.Addr())
		}
		getenv := resolveEnvOf(t, map[string]string{"STG_COMMUNITY": lossyCommunity})
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			r.code = run(ctx, a, getenv, strings.NewReader(""), &r.stdout, &r.stderr)
		}()
	}
	wg.Wait()
	return runs
}

// lostReplies sums the replies the proxies of runs dropped.
func lostReplies(runs []*lossyRun) (lost, requests int) {
	for _, r := range runs {
		st := r.proxy.Stats()
		lost += st.ToClient.Dropped
		requests += st.ToAgent.Received
	}
	return lost, requests
}

// TestLossyStarts starts 50 polls (`--if X --count 2`, default flags)
// through a link that drops 20% of the replies and delays 30% of the rest
// by up to 800 ms: every start succeeds, since start-up requests are
// resent as net-snmp does (-r 5), and each writes its two rows. Half the
// starts name the interface by ifIndex (a probe and a describe), half by
// name (walks of the name columns too).
func TestLossyStarts(t *testing.T) {
	if testing.Short() {
		t.Skip("50 starts through fault proxies")
	}
	t.Parallel()
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 50, Seed: 3, NoSSH: true, Community: lossyCommunity})
	const starts = 50
	var args [][]string
	for i := range starts {
		iface := "1"
		if i%2 == 1 {
			iface = "Te0/0/0"
		}
		args = append(args, []string{"--router", "PROXY", "--if", iface, "--count", "2", "-o", "csv"})
	}
	runs := runThroughProxies(t, sim.Addr(), lossyLink, args)
	failed := 0
	for i, r := range runs {
		rows := strings.Count(r.stdout.String(), "\n")
		if r.code != exitOK || rows != 3 {
			failed++
			t.Errorf("start %d (--if %s): exit %d, %d lines (want a header and 2 rows); stderr: %s", i, args[i][3], r.code, rows, r.stderr.String())
		}
	}
	lost, requests := lostReplies(runs)
	t.Logf("%d of %d starts failed; the proxies dropped %d replies to %d requests", failed, starts, lost, requests)
	if lost < starts/2 {
		t.Errorf("only %d replies lost in %d starts: the link was not bad enough to prove anything", lost, starts)
	}
}

// TestLossyResolves resolves, 10 times at once, the user the resolver
// meets last on a 4,000-session simulator, through the same bad link:
// every walk resumes from the last row it got, so each resolve finds the
// user's interface.
func TestLossyResolves(t *testing.T) {
	if testing.Short() {
		t.Skip("10 resolves through fault proxies")
	}
	t.Parallel()
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 4000, Seed: 4, NoSSH: true, Community: lossyCommunity})
	var last brassim.Session
	for _, s := range sim.Sessions() {
		if s.IfIndex > last.IfIndex {
			last = s
		}
	}
	const resolves = 10
	var args [][]string
	for range resolves {
		args = append(args, []string{"resolve", "--router", "PROXY", "--user", last.User, "--resolve", "snmp", "-o", "json"})
	}
	runs := runThroughProxies(t, sim.Addr(), lossyLink, args)
	for i, r := range runs {
		var got cli.ResolveJSON
		err := json.Unmarshal(r.stdout.Bytes(), &got)
		if r.code != exitOK || err != nil || got.IfIndex != last.IfIndex || got.Method != "snmp:csubSessionUsername" {
			t.Errorf("resolve %d of %q: exit %d, %+v (%v), want ifIndex %d; stderr: %s", i, last.User, r.code, got, err, last.IfIndex, r.stderr.String())
		}
	}
	lost, requests := lostReplies(runs)
	t.Logf("the proxies dropped %d replies to %d requests", lost, requests)
	if lost < resolves {
		t.Errorf("only %d replies lost in %d resolves: the link was not bad enough to prove anything", lost, resolves)
	}
}

// TestDeadLinkStart starts a poll and a resolve through a link that drops
// every reply: each fails with the no-response message, which names the
// wait, after exactly the first request and its 5 resends of 1 s each.
// With stderr not a terminal, the poll's start prints that one line and
// nothing else; the resolve's walk reports its progress every 5 s, which
// says what it waits for.
func TestDeadLinkStart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts through fault proxies")
	}
	t.Parallel()
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 10, Seed: 5, NoSSH: true, Community: lossyCommunity})
	runs := runThroughProxies(t, sim.Addr(), faultproxy.Faults{Drop: 1}, [][]string{
		{"--router", "PROXY", "--if", "1", "--count", "2", "-o", "csv"},
		{"resolve", "--router", "PROXY", "--user", "MyUserName", "--resolve", "snmp"},
	})
	for i, r := range runs {
		addr := r.proxy.Addr()
		want := fmt.Sprintf("no SNMP response from %s within 6s — check address, community/credentials and the agent's ACL\n", addr)
		if i == 0 {
			want = "stg: probe " + addr + ": " + want
			if r.stderr.String() != want {
				t.Errorf("poll: stderr %q, want the one line %q", r.stderr.String(), want)
			}
		} else {
			waiting := regexp.MustCompile(`^stg: walking csubSessionUsername on ` + regexp.QuoteMeta(addr) +
				`: 0 rows, 0 rows/s, [0-9.]+s; no answer for [0-9.]+s, asking again \(6 of 6\)\n`)
			if !waiting.MatchString(r.stderr.String()) {
				t.Errorf("resolve: stderr %q, want it to start with a line matching %q", r.stderr.String(), waiting)
			}
		}
		if r.code != exitFailure || !strings.HasSuffix(r.stderr.String(), want) || r.stdout.Len() != 0 {
			t.Errorf("run %d: exit %d, stdout %q, stderr %q; want exit 1 and stderr ending %q", i, r.code, r.stdout.String(), r.stderr.String(), want)
		}
		if got := r.proxy.Stats().ToAgent.Received; got != 6 {
			t.Errorf("run %d: the agent was asked %d times, want 6 (a request and 5 resends, -t 1s each: the documented bound)", i, got)
		}
	}
}

// TestDeadLinkStartOnTerminal runs stg on a terminal (tmux) through a link
// that drops every reply: while it waits, each resend is a line saying
// what it waits for, then the start fails with the no-response message.
func TestDeadLinkStartOnTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("runs stg in tmux")
	}
	t.Parallel()
	sim := agenttest.StartSim(t, brassim.Options{Sessions: 10, Seed: 6, NoSSH: true, Community: lossyCommunity})
	proxy := faultproxy.Start(t, faultproxy.Config{Upstream: sim.Addr(), ToClient: faultproxy.Faults{Drop: 1}})
	bin := stgBinary(t)
	dir := t.TempDir()
	rcFile := filepath.Join(dir, "rc")
	tm := newTmux(t, dir)
	cmd := fmt.Sprintf("%s --router %s -c %s --if 1 --count 2 -o csv; echo $? > %s", bin, proxy.Addr(), lossyCommunity, rcFile)
	tm.newSession("-s", "dead", "-x", "200", "-y", "40", cmd)
	waitFor(t, time.Minute, "exit status", func() bool {
		b, err := os.ReadFile(rcFile)
		return err == nil && len(bytes.TrimSpace(b)) > 0
	}, func() string { return tm.screen("dead") })
	rc, _ := os.ReadFile(rcFile)
	// The whole history, wrapped lines joined: the pane may start smaller.
	screen := tm.run("capture-pane", "-p", "-J", "-S", "-", "-t", "dead")
	var lines []string
	for _, l := range strings.Split(screen, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Pane is dead") {
			lines = append(lines, l)
		}
	}
	addr := proxy.Addr()
	resend := regexp.MustCompile(`^stg: get sysUpTime\.0 on ` + regexp.QuoteMeta(addr) + `: no answer for [0-9.]+s, asking again \(([2-6]) of 6\)$`)
	var attempts []string
	for _, l := range lines {
		if m := resend.FindStringSubmatch(l); m != nil {
			attempts = append(attempts, m[1])
		}
	}
	fail := "stg: probe " + addr + ": no SNMP response from " + addr + " within 6s — check address, community/credentials and the agent's ACL"
	if strings.TrimSpace(string(rc)) != "1" || strings.Join(attempts, " ") != "2 3 4 5 6" || len(lines) != 6 || lines[5] != fail {
		t.Errorf("exit %s; screen:\n%s\nwant a line for each resend (2 to 6 of 6), then %q, and exit 1", rc, screen, fail)
	}
}
