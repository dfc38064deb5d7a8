package command

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/strata-build/strata/core/apply"
)

// emit writes one JSON line on stdout.
func (c *cli) emit(v any) {
	data, _ := json.Marshal(v)
	fmt.Fprintf(c.stdout, "%s\n", data)
}

// reporter shows an apply's events: lines on stderr for people, JSON
// lines on stdout with -json.
func (c *cli) reporter(asJSON bool) apply.Reporter {
	return &textReporter{c: c, json: asJSON, last: map[string]string{}}
}

type textReporter struct {
	c    *cli
	json bool
	mu   sync.Mutex
	last map[string]string // last progress message per address
}

func (r *textReporter) out(event string, addr string, fields map[string]any, format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.json {
		fields["type"], fields["address"] = event, addr
		r.c.emit(fields)
		return
	}
	fmt.Fprintf(r.c.stderr, "%s: "+format+"\n", append([]any{addr}, args...)...)
}

func (r *textReporter) Started(addr, plugin string) {
	r.out("start", addr, map[string]any{"plugin": plugin}, "building with %s...", plugin)
}

func (r *textReporter) Progress(addr string, done, total int64, message string) {
	r.mu.Lock()
	same := r.last[addr] == message
	r.last[addr] = message
	r.mu.Unlock()
	if same && !r.json {
		return
	}
	r.out("progress", addr, map[string]any{"done": done, "total": total, "message": message}, "[%d/%d] %s", done, total, message)
}

func (r *textReporter) Log(addr, level, message string) {
	r.out("log", addr, map[string]any{"level": level, "message": message}, "%s: %s", level, message)
}

func (r *textReporter) Finished(addr string, outcome apply.Outcome, took time.Duration) {
	how := map[apply.Outcome]string{apply.Built: "built", apply.FromStore: "taken from the store", apply.Published: "published",
		apply.Fetched: "fetched from the remote store", apply.Pushed: "pushed to the remote store"}[outcome]
	r.out("done", addr, map[string]any{"outcome": how, "seconds": took.Seconds()}, "%s in %s", how, took.Round(time.Millisecond))
}

func (r *textReporter) Failed(addr string, err error) {
	r.out("failed", addr, map[string]any{"error": err.Error()}, "FAILED: %v", err)
}

func (r *textReporter) Skipped(addr, cause string) {
	r.out("skipped", addr, map[string]any{"cause": cause}, "skipped, because %s failed", cause)
}
