// Command stg-bench is the driver of `make bench`: it starts its own SNMP
// agents on loopback (the stg simulator, snmpsim and net-snmp snmpd),
// measures the stg binary side by side with its peers (net-snmp's
// snmpbulkwalk, the naive delta/interval rate method, a snmpget+sleep
// loop) in one run, prints one table and writes it into BENCHMARKS.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := runBench(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// options are the driver's flags.
type options struct {
	stg  stgBin
	out  string
	repo string
}

// runBench parses args, measures everything and writes the table; it
// returns the exit code.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("stg-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.stg.path, "stg", "bin/stg", "the stg binary to measure")
	fs.StringVar(&o.stg.keep, "keep", "", "keep every CSV stg wrote in this directory")
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", "Markdown file to write the table into (\"\": none)")
	fs.StringVar(&o.repo, "repo", ".", "the stg source tree (for the TUI's Go benchmark)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	stg, err := filepath.Abs(o.stg.path)
	if err != nil {
		fmt.Fprintf(stderr, "stg-bench: %v\n", err)
		return 2
	}
	o.stg.path = stg
	if o.stg.keep != "" {
		if err := os.MkdirAll(o.stg.keep, 0o755); err != nil {
			fmt.Fprintf(stderr, "stg-bench: %v\n", err)
			return 1
		}
	}
	start := time.Now()
	mach := machine(ctx)
	rows, err := measureAll(ctx, o, func(format string, a ...any) {
		fmt.Fprintf(stderr, "stg-bench %5.0fs: %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, a...))
	})
	if err != nil {
		fmt.Fprintf(stderr, "stg-bench: %v\n", err)
		return 1
	}
	took := time.Since(start)
	if err := writeText(stdout, rows); err != nil {
		fmt.Fprintf(stderr, "stg-bench: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "\n%s\nmeasured %s in %s\n", strings.Join(mach, "\n"), start.Format(time.RFC3339), took.Round(time.Second))
	if o.out != "" {
		if err := updateReport(o.out, report(rows, mach, start, took)); err != nil {
			fmt.Fprintf(stderr, "stg-bench: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "wrote %s\n", o.out)
	}
	return 0
}

// measureAll runs the seven measurements. The 300-poll schedule run at 1 s
// runs beside measurements 1 to 6, the cache runs of measurement 2 beside
// measurements 1 and 2; the rest run one after the other, measurement 7
// (stg top, which loads both cores) once the schedule run is over.
func measureAll(ctx context.Context, o options, logf func(string, ...any)) ([]row, error) {
	if _, err := os.Stat(o.stg.path); err != nil {
		return nil, fmt.Errorf("stg binary: %w (run make build)", err)
	}
	cacheDir, err := sharedCacheDir()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "stg-bench-*")
	if err != nil {
		return nil, fmt.Errorf("make temp dir: %w", err)
	}
	defer os.RemoveAll(tmp)

	small, err := startSim(o.stg.path, 10, tmp)
	if err != nil {
		return nil, err
	}
	defer small.stop()
	type sched struct {
		r   scheduleResult
		err error
	}
	slow := make(chan sched, 1)
	go func() {
		r, err := measureSchedule(ctx, o.stg, small, time.Second)
		slow <- sched{r, err}
	}()
	logf("schedule: %d polls at 1s running in the background", schedulePolls)

	logf("accuracy: snmpsim constant rates and snmpd under a loopback stream, %d polls each", accuracyPolls)
	type acc struct {
		e   rateErrors
		err error
	}
	simAcc := make(chan acc, 1)
	go func() {
		e, err := snmpsimAccuracy(ctx, o.stg, cacheDir)
		simAcc <- acc{e, err}
	}()
	logf("accuracy: the simulator's counter caches, %d kinds at once", len(cacheKinds))
	type cached struct {
		rows []row
		err  error
	}
	cacheAcc := make(chan cached, 1)
	go func() {
		r, err := cacheRows(ctx, o.stg, tmp)
		cacheAcc <- cached{r, err}
	}()
	dEr, err := snmpdAccuracy(ctx, o.stg, tmp)
	if err != nil {
		return nil, err
	}
	sa := <-simAcc
	if sa.err != nil {
		return nil, sa.err
	}
	var rows []row

	logf("schedule: %d polls at 100ms", schedulePolls)
	fast, err := measureSchedule(ctx, o.stg, small, 100*time.Millisecond)
	if err != nil {
		return nil, err
	}

	logf("resolve: 1k, 8k, 32k sessions on the simulator and snmpsim")
	resolve, err := resolveRows(ctx, o.stg, cacheDir, tmp)
	if err != nil {
		return nil, err
	}
	rows = append(rows, resolve...)
	rows = append(rows, accuracyRows("snmpsim Counter64", sa.e)...)
	rows = append(rows, accuracyRows("snmpd lo (3 s cache)", dEr)...)
	ca := <-cacheAcc
	if ca.err != nil {
		return nil, ca.err
	}
	rows = append(rows, ca.rows...)

	big, err := startSim(o.stg.path, scaleSteps[len(scaleSteps)-1], tmp)
	if err != nil {
		return nil, err
	}
	defer big.stop()
	ifIndexes, err := walkIfIndexes(ctx, big)
	if err != nil {
		return nil, err
	}
	logf("cost: %v targets for %d polls at 1 Hz, at once", costTargets, costPolls)
	costs, err := measureCosts(ctx, o.stg, big, ifIndexes)
	if err != nil {
		return nil, err
	}
	var steps []scaleStep
	for _, n := range scaleSteps {
		if n > len(ifIndexes) {
			break
		}
		logf("scale: %d targets, %d polls at 1 Hz", n, scalePolls)
		st, err := measureScale(ctx, o.stg, big, ifIndexes, n)
		if err != nil {
			return nil, err
		}
		steps = append(steps, st)
		if !st.OK {
			break
		}
	}
	big.stop()
	logf("lossy start: %d starts of stg and of snmpget through a lossy link, and a dead one", lossyStarts)
	lossySim, err := startSim(o.stg.path, 10, tmp)
	if err != nil {
		return nil, err
	}
	lossy, err := lossyRows(ctx, o.stg, lossySim)
	lossySim.stop()
	if err != nil {
		return nil, err
	}
	logf("export: stg --listen and snmp_exporter under Prometheus on snmpd for %s; scrapes of %v interfaces", exportWindow, exportScrapeSizes)
	export, err := exportAccuracyRows(ctx, o.stg, tmp)
	if err != nil {
		return nil, err
	}
	scrapes, err := exportScrapeRows(ctx, o.stg, cacheDir, tmp)
	if err != nil {
		return nil, err
	}
	logf("tui: go test -bench Frame/1s ./tui")
	frame, err := measureTUI(ctx, o.repo)
	if err != nil {
		return nil, err
	}
	logf("waiting for the 1s schedule run")
	s := <-slow
	if s.err != nil {
		return nil, s.err
	}
	top, err := topRows(ctx, o.stg, cacheDir, tmp, logf)
	if err != nil {
		return nil, err
	}
	rows = append(rows, scheduleRows(s.r)...)
	rows = append(rows, scheduleRows(fast)...)
	rows = append(rows, costRows(costs, s.r)...)
	rows = append(rows, tuiRows(frame)...)
	rows = append(rows, scaleRow(steps))
	rows = append(rows, lossy...)
	rows = append(rows, top...)
	rows = append(append(rows, export...), scrapes...)
	return rows, nil
}

// walkIfIndexes returns the agent's ifIndexes in order (snmpbulkwalk of
// the ifIndex column).
func walkIfIndexes(ctx context.Context, a *agent) ([]int, error) {
	res, err := run(ctx, nil, "snmpbulkwalk", "-v2c", "-c", a.Community, "-Cr50", "-Oqv", a.Addr, oidIfIndex)
	if err != nil {
		return nil, fmt.Errorf("walk ifIndex on %s: %w", a.Addr, err)
	}
	var out []int
	for _, f := range strings.Fields(string(res.Stdout)) {
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("walk ifIndex on %s: bad value %q", a.Addr, f)
		}
		out = append(out, n)
	}
	return out, nil
}
