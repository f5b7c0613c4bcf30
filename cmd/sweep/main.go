// Command sweep is the research pipeline for options premium-selling strategies:
// it ingests option chains into DuckDB, generates synthetic markets, computes greeks,
// and (in later stages) runs grid searches and writes reports.
//
// Run "sweep help" for the list of subcommands and "sweep CMD --help" for one of them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// stdio carries the streams a subcommand reads and writes, so tests can capture them.
type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
}

// command is one subcommand of sweep.
type command struct {
	name  string // as typed: "ingest", "dbn"
	usage string // one line, e.g. "sweep ingest [flags] FILE..."
	short string // one-line summary for "sweep help"
	long  string // paragraphs shown by "sweep CMD --help"
	run   func(ctx context.Context, args []string, s stdio) error
}

// errUsage marks an error caused by bad command-line use; main exits with status 2.
var errUsage = errors.New("usage")

// usageErrorf returns an error wrapping errUsage with a message.
func usageErrorf(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// commands lists every subcommand. Each constructor lives in its own file.
func commands() []*command {
	return []*command{
		demoCommand(),
		genCommand(),
		ingestCommand(),
		dbnCommand(),
		greeksCommand(),
		benchCommand(),
		backtestCommand(),
		strategiesCommand(),
		scanCommand(),
		runCommand(),
		planCommand(),
		mergeCommand(),
		queryCommand(),
		reportCommand(),
		compareCommand(),
		liveCommand(),
	}
}

// notYet is a placeholder for a subcommand whose issue has not landed. It says so
// plainly and fails, rather than pretending to work.
func notYet(name, short, where string) *command {
	c := &command{
		name:  name,
		usage: "sweep " + name,
		short: short + " [not built yet]",
		long:  "Not built yet: this subcommand arrives with " + where + ".",
	}
	c.run = func(ctx context.Context, args []string, s stdio) error {
		if err := parseFlags(newFlags(c, s), args, s); err != nil {
			return err
		}
		return fmt.Errorf("sweep %s is not built yet: it arrives with %s", name, where)
	}
	return c
}

// action is one verb of a command that has several (sweep dbn dump, sweep bench read).
type action struct {
	name string
	run  func(ctx context.Context, args []string, s stdio) error
}

// dispatch runs the action named by args[0], or prints the command's help when
// there is none or help is asked for.
func dispatch(ctx context.Context, c *command, args []string, s stdio, actions ...action) error {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = a.name
	}
	want := strings.Join(names, ", ")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fs := newFlags(c, s)
		fs.SetOutput(s.out)
		fs.Usage()
		if len(args) == 0 {
			return usageErrorf("which one? %s", want)
		}
		return nil
	}
	for _, a := range actions {
		if a.name == args[0] {
			return a.run(ctx, args[1:], s)
		}
	}
	return usageErrorf("unknown action %q (want one of %s)", args[0], want)
}

// newFlags returns a FlagSet for c whose -h/--help prints the command's usage,
// description and flags to s.out.
func newFlags(c *command, s stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(s.err)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: %s\n\n%s\n", c.usage, strings.TrimSpace(c.long))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args with fs. A request for help is printed to s.out and
// reported as flag.ErrHelp; other errors are usage errors.
func parseFlags(fs *flag.FlagSet, args []string, s stdio) error {
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(s.out)
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
		return flag.ErrHelp
	}
	if err != nil {
		fs.SetOutput(s.err)
		fs.Usage()
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

func printHelp(w io.Writer, cmds []*command) {
	fmt.Fprint(w, `sweep: a research pipeline for options premium-selling strategies.

Usage: sweep COMMAND [flags] [args]

Start here:
  sweep demo           market on real history -> DBN -> ingest -> backtests -> sweep -> reports

Commands:
`)
	sorted := append([]*command(nil), cmds...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].name < sorted[j].name })
	for _, c := range sorted {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nRun \"sweep COMMAND --help\" for a command's flags and details.\n")
}

// run dispatches args (without the program name) and returns the exit status.
func run(ctx context.Context, args []string, s stdio) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		if len(args) > 1 {
			args = []string{args[1], "--help"}
		} else {
			printHelp(s.out, cmds)
			if len(args) == 0 {
				return 2
			}
			return 0
		}
	}
	for _, c := range cmds {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, args[1:], s)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			fmt.Fprintf(s.err, "sweep %s: %v\n", c.name, err)
			return 2
		case errors.Is(err, context.Canceled):
			fmt.Fprintf(s.err, "sweep %s: interrupted\n", c.name)
			return 130
		default:
			fmt.Fprintf(s.err, "sweep %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(s.err, "sweep: unknown command %q\n\n", args[0])
	printHelp(s.err, cmds)
	return 2
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}
