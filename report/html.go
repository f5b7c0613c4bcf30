package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/optsweep/sweep/sim"
)

//go:embed templates/report.html.tmpl templates/scan.html.tmpl
var templateFS embed.FS

// page is what the layout template renders.
type page struct {
	Kind   string // "run", "sweep" or "compare"
	Engine string
	DB     string
	Page   any
}

// parse parses the report template; it is parsed per write, since a report is
// written once.
func parse() (*template.Template, error) {
	t, err := template.New("report").ParseFS(templateFS, "templates/report.html.tmpl", "templates/scan.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("report template: %w", err)
	}
	return t, nil
}

func write(w io.Writer, kind, db string, p any) error {
	t, err := parse()
	if err != nil {
		return err
	}
	if err := t.ExecuteTemplate(w, "layout", page{Kind: kind, Engine: sim.Version, DB: db, Page: p}); err != nil {
		return fmt.Errorf("write %s report: %w", kind, err)
	}
	return nil
}

// WriteRun writes the single-run report p as one HTML file; db names the
// results database in the footer.
func WriteRun(w io.Writer, db string, p *RunPage) error { return write(w, "run", db, p) }

// WriteSweep writes the sweep report p as one HTML file.
func WriteSweep(w io.Writer, db string, p *SweepPage) error { return write(w, "sweep", db, p) }

// WriteCompare writes the comparison p as one HTML file.
func WriteCompare(w io.Writer, db string, p *ComparePage) error { return write(w, "compare", db, p) }
