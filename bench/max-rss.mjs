// Loaded with `node --import` where /usr/bin/time is missing: prints the process's peak RSS (KiB) as
// the last line of stderr, the way `/usr/bin/time -f %M` does.
process.on('exit', () => process.stderr.write(`\n${process.resourceUsage().maxRSS}\n`))
