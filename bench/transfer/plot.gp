# SPDX-License-Identifier: MIT
#
# Plots of the transfer benchmark, from bench/transfer/report's data files:
# one panel per path, xfer.sys against the null driver.
#   gnuplot -e "datadir='D'; outdir='O'; files='...'; titles='...';
#               cfiles='...'; ctitles='...'; threads='1,2,4'" plot.gp
# writes O/transfer-latency.svg, O/transfer-throughput.svg and
# O/transfer-concurrency.svg. Data columns: size, then min, median, p99,
# MB/s of xfer (2-5) and of the null driver (6-9).

set terminal svg size 1400,1000 dynamic enhanced font "sans,10" background "white"
set encoding utf8
set grid lc rgb "#dddddd"
set border 3
set tics nomirror
set key top left samplen 2 font ",9"
cd datadir

set logscale xy
set xtics ("0" 1, "64" 64, "4K" 4096, "64K" 65536, "1M" 1048576, "16M" 16777216)
set xrange [0.7:3e7]

set output outdir."/transfer-latency.svg"
set multiplot layout 3,4 title "Latency per request by size: median, with min to p99 (µs, log scale; 0 bytes drawn at 1)"
do for [i = 1:words(files)] {
  set title word(titles, i) noenhanced
  plot word(files, i) using 1:3:2:4 with yerrorlines lc rgb "#1f5fbf" pt 7 ps 0.5 title "xfer", \
       ''            using 1:7:6:8 with yerrorlines lc rgb "#999999" pt 6 ps 0.5 dt 2 title "null driver"
}
unset multiplot

set output outdir."/transfer-throughput.svg"
set xrange [40:3e7]
set multiplot layout 3,4 title "Throughput by size (MB/s, log scale)"
do for [i = 1:words(files)] {
  set title word(titles, i) noenhanced
  plot word(files, i) using 1:($5 > 0 ? $5 : 1/0) with linespoints lc rgb "#1f5fbf" pt 7 ps 0.5 title "xfer", \
       ''            using 1:($9 > 0 ? $9 : 1/0) with linespoints lc rgb "#999999" pt 6 ps 0.5 dt 2 title "null driver"
}
unset multiplot

set output outdir."/transfer-concurrency.svg"
set terminal svg size 1200,600 dynamic enhanced font "sans,10" background "white"
unset logscale
set xtics ()
set xtics 1
set autoscale x
set xrange [0.5:*]
set yrange [0:*]
set xlabel "client threads"
set multiplot layout 2,3 title "Aggregate throughput by client threads (MB/s)"
do for [i = 1:words(cfiles)] {
  set title word(ctitles, i) noenhanced
  plot word(cfiles, i) using 1:2 with linespoints lc rgb "#1f5fbf" pt 7 title "xfer", \
       ''             using 1:3 with linespoints lc rgb "#999999" pt 6 dt 2 title "null driver"
}
unset multiplot
