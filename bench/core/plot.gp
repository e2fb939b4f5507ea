# SPDX-License-Identifier: MIT
#
# Plots of the store core's benchmark, from bench_store's data files.
#   gnuplot -e "datadir='DIR'; outdir='DIR'" bench/core/plot.gp
# writes outdir/core-throughput.svg and outdir/core-growth.svg.

set terminal svg size 860,480 dynamic enhanced font "sans,12" background "white"
set encoding utf8
set key top left
set grid ytics lc rgb "#dddddd"
set border 3
set tics nomirror

# --- throughput: store / memcpy per case, against the targets ---------------
set output outdir."/core-throughput.svg"
set title "Store throughput relative to memcpy (same blocks, same working set)"
set ylabel "store / memcpy (higher is better)"
set yrange [0:2.5]
set ytics 0, 0.5, 1.5
set key top left samplen 2
set rmargin 8
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.8
set xtics rotate by -35 scale 0
plot datadir."/throughput.dat" using 3:xtic(2) title "store / memcpy" lc rgb "#3b6ea8", \
     "" using 7 title "same store on malloc / memcpy (for comparison)" lc rgb "#aab7c4", \
     0.9 with lines dt 2 lw 2 lc rgb "#b03a2e" title "target, 64 KiB and 1 MiB blocks (0.9)", \
     0.7 with lines dt 3 lw 2 lc rgb "#d68910" title "target, 4 KiB blocks (0.7)", \
     1.0 with lines lw 1 lc rgb "#555555" title "memcpy"

# --- growth: time to fill from empty by 4 KiB appends ------------------------
reset
set terminal svg size 860,520 dynamic enhanced font "sans,12" background "white"
set output outdir."/core-growth.svg"
set title "Filling from empty with 4 KiB appends"
set xlabel "final size (MiB)"
set ylabel "time (s)"
set logscale xy
set format y "10^{%L}"
set xrange [0.8:1400]
set key bottom right
set grid xtics ytics lc rgb "#dddddd"
set border 3
set tics nomirror
set xtics (1, 4, 16, 64, 256, 1024)
plot datadir."/growth.dat" using 1:2 with linespoints pt 7 lw 2 lc rgb "#3b6ea8" \
         title "xfer store, fresh memory (pages faulted in)", \
     datadir."/growth.dat" using 1:5 with linespoints pt 9 lw 2 lc rgb "#5dade2" \
         title "xfer store, recycled memory (the store's own work)", \
     datadir."/growth.dat" using 1:3 with linespoints pt 5 lw 2 lc rgb "#b03a2e" \
         title "Wdm1Write: reallocate, zero, copy (measured, fresh memory)", \
     datadir."/growth.dat" using 1:4 with lines dt 2 lw 2 lc rgb "#b03a2e" \
         title "Wdm1Write, extrapolated as size^2"
