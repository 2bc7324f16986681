"""Speed of whole runs: ``python -m bench.speed [--quick] [--repeats N] [--only PART]``
(``make bench``).

Every throughput figure is of a whole process as a user runs it (start-up, imports, workers),
through one wrapper process that reports the wall time, the CPU time (user + sys of
``RUSAGE_CHILDREN``: the process and every worker it waited for) and the peak RSS (the
``ru_maxrss`` of the same, i.e. of the largest single process, not a sum). Printed as markdown
tables and saved to ``bench/results/speed.json`` (``--only PART``: ``speed-PART.json``):

* page throughput (``--only pages``), over one folder of plain ``.html`` pages: a
  ``trafilatura.extract`` loop in its own process (``bench.loop_trafilatura``, the baseline),
  ``cleaner clean --jobs 1``, ``--jobs 1 --fast`` (when this cleaner has it), ``--jobs 2``
  (each into a fresh OUT, so every page is cleaned), ``trafilatura --input-dir --output-dir``
  with ``--parallel 2`` and ``--parallel 1``; and text mode, ``cleaner clean --jobs 1`` over
  folders of the ``wcxb-naive`` and ``wcxb-seed`` text documents. The runs are interleaved:
  per repeat every system runs once, in an order rotated by the repeat, so the load of other
  jobs on a shared machine falls on all of them alike. Each row gives the median wall, CPU and
  peak RSS and all runs; the ratios against the trafilatura loop are medians of the ratios
  paired per repeat. Then the targets of issues 5 and 15;
* big pages (``--only big``): generated pages of 1, 4, 10 and 25 MB, of prose and of
  markup-heavy prose (half the bytes an inline ``<style>``, ``<svg>`` and ``<script>``), one
  run each of ``cleaner clean FILE --jobs 1 --timeout 120`` (default memory limit) and of the
  trafilatura loop on the file: seconds, seconds per MB and a log-log growth exponent, to tell
  linear growth from quadratic, and the 10 MB target of issue 15;
* a no-op re-run over 2,000 small text files (the second run of ``cleaner clean`` into the same
  OUT, everything up to date);
* peak RSS of the largest process on a folder of 10,000 small text files;
* time per stage (read, extract, noise, order, language, write) from cProfile over a sample:
  the cumulative time of each stage's entry function;
* when the ``dask`` extra is installed, ``cleaner clean --dask`` on a ``LocalCluster`` of 2
  single-threaded worker processes against ``--jobs 2`` on the same pages (issue 6: overhead
  <= 15%). The cluster is started and its workers warmed up before timing, as a standing
  cluster would be; each run is the CLI from start to exit into a fresh OUT, alternated with a
  ``--jobs 2`` run (``--jobs 2``, then a freshly started and warmed cluster, ``--dask``, per
  repeat) so that load falls on both alike and the cluster's idle cost does not slow the
  ``--jobs 2`` runs. ``--only dask`` measures just these two rows;
* peak RSS of one worker (``cleaner clean FILE --jobs 1`` with the default limits, one input
  each) on bad inputs that used to take gigabytes: generated pages of prose of 1, 10 and 50 MB,
  a 2 GB sparse ``.txt`` and a ``.gz`` of 60 MB of text, against the 600 MB target (issue 11).
  ``--only memory`` measures just these (about a minute, no page corpus needed).

Pages: the ScrapingHub benchmark HTML plus every WCXB dev page (181 + 1,497 = 1,678), un-gzipped
into a temp folder so that every tool reads the same plain ``.html`` files; ``--pages N`` (with
``--only pages`` or ``--only dask``) takes N of them spread evenly. Timing only: nothing is
scored or tuned here. The machine may be shared, so compare ratios measured in the same run.
"""
