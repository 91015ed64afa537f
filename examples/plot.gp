# Plot an stg CSV recording with gnuplot: in and out Mb/s of one target.
#
#   gnuplot -e "file='examples/sample.csv'; target='Gi0/0/1'" examples/plot.gp
#
# Draws in the terminal (dumb); add out='rates.png' for a PNG file. Rows
# without a rate (first, pending, gap-*) have empty in_bps/out_bps cells and
# leave a break in the line instead of a drop to zero.

if (!exists("file"))   file   = "examples/sample.csv"
if (!exists("target")) target = "Gi0/0/1"

if (exists("out")) {
    set terminal png size 1000,400
    set output out
} else {
    set terminal dumb size 120,32
}

set datafile separator ","
set key autotitle columnhead
set xdata time
# Columns 1..11: time,router,target,ifindex,ifname,in_bps,out_bps,
# in_octets,out_octets,interval_s,status. The time is local wall time with
# milliseconds; the zone offset after the seconds is not read.
set timefmt "%Y-%m-%dT%H:%M:%S"
set format x "%H:%M:%S"
set xlabel "local time"
set ylabel "Mb/s"
set title sprintf("%s: %s", file, target) noenhanced
set yrange [0:*]
set offsets 0, 0, graph 0.1, 0
set key bottom right

# Keep the header and the target's rows, so other targets' rows do not
# break its line.
rows = sprintf("< grep -e '^time,' -e '^[^,]*,[^,]*,%s,' '%s'", target, file)

# An empty rate is a gap: NaN breaks the line there.
mbps(col) = strcol(col) eq "" ? NaN : column(col) / 1e6

plot rows using 1:(mbps(6)) with lines title "in", \
     rows using 1:(mbps(7)) with lines title "out"
