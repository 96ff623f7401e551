package main

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"tracegate"
	"tracegate/customs"
)

// runCustomsTablesShow reads back the loaded customs tables: without
// --kind a line per kind in force, with --kind that table's CSV as loaded.
func runCustomsTablesShow(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "customs tables show", "", "Read back the customs tables in force. Without --kind: the version, rows and load time\nof each kind loaded. With --kind: that table's CSV exactly as it was loaded.")
	var sf storeFlags
	sf.register(fs, e)
	kind := fs.String("kind", "", "print this table's CSV: "+strings.Join(customs.TableKinds, ", "))
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openExistingStore(ctx, sf.db)
	if err != nil {
		return err
	}
	defer s.Close()
	ts, err := s.CustomsTables(ctx)
	if err != nil {
		return err
	}
	if *kind == "" {
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KIND\tVERSION\tROWS\tLOADED")
		for _, t := range ts {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\n", t.Kind, t.ID, t.Rows, t.LoadedAt.UTC().Format(time.RFC3339))
		}
		return tw.Flush()
	}
	for _, t := range ts {
		if t.Kind == *kind {
			_, err := fmt.Fprint(e.stdout, t.CSV)
			return err
		}
	}
	for _, k := range customs.TableKinds {
		if k == *kind {
			return tracegate.Errorf(tracegate.ENOTFOUND, "no %s table has been loaded", *kind)
		}
	}
	return tracegate.Invalidf("--kind", "unknown table kind %q: want one of %s", *kind, strings.Join(customs.TableKinds, ", "))
}
