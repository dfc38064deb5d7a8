package worker

import (
	"encoding/json"
	"io"
	"sync"
)

// Event is one line a worker writes on its standard error for the apply
// that follows it: the build's progress or a log line.
type Event struct {
	Event   string `json:"event"` // "progress", "log", or "end" (the worker's last line)
	Done    int64  `json:"done,omitempty"`
	Total   int64  `json:"total,omitempty"`
	Level   string `json:"level,omitempty"`
	Message string `json:"message"`
}

// Forward passes the event on to a reporter.
func (e Event) Forward(r interface {
	Progress(done, total int64, message string)
	Log(level, message string)
}) {
	switch e.Event {
	case "progress":
		r.Progress(e.Done, e.Total, e.Message)
	case "log":
		r.Log(e.Level, e.Message)
	}
}

// Reporter writes a build's events as JSON lines.
type Reporter struct {
	mu sync.Mutex
	W  io.Writer
}

func (r *Reporter) emit(e Event) {
	data, _ := json.Marshal(e)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.W.Write(append(data, '\n'))
}

// Progress reports how far the build is.
func (r *Reporter) Progress(done, total int64, message string) {
	r.emit(Event{Event: "progress", Done: done, Total: total, Message: message})
}

// Log reports a log line.
func (r *Reporter) Log(level, message string) {
	r.emit(Event{Event: "log", Level: level, Message: message})
}

// End says the worker is done: nothing follows.
func (r *Reporter) End() {
	r.emit(Event{Event: "end"})
}
