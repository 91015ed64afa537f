package ciscoresolve

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stg-project/stg/internal/agenttest"
	"github.com/stg-project/stg/internal/brassim"
	"github.com/stg-project/stg/secret"
	"github.com/stg-project/stg/snmp"
)

// benchSessions is the size of the benchmark router.
const benchSessions = 32000

// BenchmarkResolveLastUser32k times finding the user in the last
// casnUserId row of a 32,000-session router — csubSessionUsername is absent,
// so the resolver walks the whole AAA column — next to net-snmp's
// `snmpbulkwalk -Cr50` of the same column on the same agent, and the cached
// second run (one verifying GET). Agents: the built-in simulator and
// snmpsim. Run it with -benchtime 5x: one snmpsim walk takes seconds.
func BenchmarkResolveLastUser32k(b *testing.B) {
	b.Run("sim", func(b *testing.B) {
		sim := agenttest.StartSim(b, brassim.Options{Sessions: benchSessions, Seed: 1, NoSSH: true, NoSubscriberMIB: true})
		target, err := snmp.ParseTarget(sim.Addr())
		if err != nil {
			b.Fatal(err)
		}
		last := lastCasnUser(sim.Sessions())
		benchAgent(b, target, sim.Community(), last)
	})
	b.Run("snmpsim", func(b *testing.B) {
		dir, last := snmpsim32k(b)
		sim := agenttest.StartSnmpsim(b, dir, agenttest.WithCacheDir(filepath.Join(os.TempDir(), "stg-bench-snmpsim-cache")), agenttest.WithStartTimeout(3*time.Minute))
		benchAgent(b, sim.Target, "bras32k", last)
	})
}

// benchAgent measures against one agent: "vs-snmpbulkwalk" runs stg's
// resolution and `snmpbulkwalk -Cr50` of casnUserId back to back in every
// iteration (alternating which goes first), so a busy machine slows both
// alike, and reports each one's seconds per run and their ratio;
// "cached" times the second run of a cached resolution.
func benchAgent(b *testing.B, target snmp.Target, community, user string) {
	c, err := snmp.Dial(context.Background(), snmp.Config{Target: target, Community: secret.Secret(community), Timeout: 5 * time.Second, Retries: 1})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	b.Run("vs-snmpbulkwalk", func(b *testing.B) {
		r := &SNMP{Client: c, Router: "bench"}
		var stg, walk time.Duration
		resolve := func() {
			start := time.Now()
			if _, err := r.Resolve(context.Background(), user); err != nil {
				b.Fatal(err)
			}
			stg += time.Since(start)
		}
		bulkwalk := func() {
			start := time.Now()
			if rows := snmpbulkwalk(b, target, community, OIDCasnUserID); rows != benchSessions {
				b.Fatalf("snmpbulkwalk read %d rows, want %d", rows, benchSessions)
			}
			walk += time.Since(start)
		}
		n := 0
		for b.Loop() {
			if n%2 == 0 {
				resolve()
				bulkwalk()
			} else {
				bulkwalk()
				resolve()
			}
			n++
		}
		b.ReportMetric(stg.Seconds()/float64(n), "stg-s/op")
		b.ReportMetric(walk.Seconds()/float64(n), "snmpbulkwalk-s/op")
		b.ReportMetric(stg.Seconds()/walk.Seconds(), "stg/snmpbulkwalk")
	})
	b.Run("cached", func(b *testing.B) {
		cached := &Cached{Cache: &Cache{Dir: b.TempDir()}, Router: "bench", Client: c, Next: &SNMP{Client: c, Router: "bench"}}
		if _, err := cached.Resolve(context.Background(), user); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			res, err := cached.Resolve(context.Background(), user)
			if err != nil || res.Method != MethodCache {
				b.Fatalf("cached run: %+v, %v", res, err)
			}
		}
	})
}

// snmpbulkwalk runs net-snmp's walker over one column and counts the rows.
func snmpbulkwalk(b *testing.B, target snmp.Target, community, oid string) int {
	cmd := exec.Command("snmpbulkwalk", "-v2c", "-c", community, "-Cr50", "-t", "5", "-r", "1", "-On", "-Oq", target.Addr(), oid)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	rows := 0
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "."+oid+".") {
			rows++
		}
	}
	if err := cmd.Wait(); err != nil {
		b.Fatalf("snmpbulkwalk: %v", err)
	}
	return rows
}

// lastCasnUser returns the user of the highest accounting session id.
func lastCasnUser(sessions []brassim.Session) string {
	var last brassim.Session
	for _, s := range sessions {
		if s.AcctID > last.AcctID {
			last = s
		}
	}
	return last.User
}

// snmpsim32k writes (once per machine, in a world-readable temp dir, so
// snmpsimd's index is reused) a 32,000-session CISCO-AAA-SESSION-MIB router
// and returns its directory and the user of the last casnUserId row.
func snmpsim32k(b *testing.B) (dir, last string) {
	dir = filepath.Join(os.TempDir(), "stg-bench-snmprec-32k")
	last = fmt.Sprintf("user%05d@isp.example", benchSessions)
	file := filepath.Join(dir, "bras32k.snmprec")
	if _, err := os.Stat(file); err == nil {
		return dir, last
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("1.3.6.1.2.1.1.3.0|67|100\n")
	column := func(oid string, line func(i int) string) {
		for i := 1; i <= benchSessions; i++ {
			fmt.Fprintf(&sb, "%s.%d|%s\n", oid, 1000+i, line(i))
		}
	}
	column(snmp.OIDIfDescr, func(i int) string { return fmt.Sprintf("4|Virtual-Access%d.%d", 1+i/4000, i%4000) })
	column(snmp.OIDIfName, func(i int) string { return fmt.Sprintf("4|Vi%d.%d", 1+i/4000, i%4000) })
	column(OIDCasnUserID, func(i int) string { return fmt.Sprintf("4|user%05d@isp.example", i) })
	column(OIDCasnVaiIfIndex, func(i int) string { return fmt.Sprintf("2|%d", 1000+i) })
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		b.Fatal(err)
	}
	return dir, last
}
