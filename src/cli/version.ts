// Version and ruleset version, shown by --version and written into every JSON report.
export const VERSION = '0.1.0';
