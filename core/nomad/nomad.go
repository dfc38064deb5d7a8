// Package nomad runs artifact builds as Nomad batch jobs: each job runs
// strata worker on a Nomad client, which fetches the strata binary from
// the shared store by its sha256 (Nomad's artifact, checksum checked),
// builds and pushes the entry there. The job's progress and log lines
// reach the apply's output; its exit status is never trusted alone: the
// apply fetches and verifies the entry it pushed.
package nomad

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/strata-build/strata/core/eval"
	"github.com/strata-build/strata/core/registry"
	"github.com/strata-build/strata/core/worker"
	"github.com/strata-build/strata/sdk"
	"github.com/strata-build/strata/sdk/files"
)

// Executor submits builds to a Nomad cluster.
type Executor struct {
	client *api.Client
	cfg    eval.Executor
	reg    *registry.Registry
}

// New connects to the cluster cfg names; builds exchange everything
// through reg.
func New(cfg eval.Executor, reg *registry.Registry) (*Executor, error) {
	conf := api.DefaultConfig()
	conf.Address = cfg.Address
	if cfg.Region != "" {
		conf.Region = cfg.Region
	}
	if cfg.Namespace != "" {
		conf.Namespace = cfg.Namespace
	}
	c, err := api.NewClient(conf)
	if err != nil {
		return nil, fmt.Errorf("the Nomad cluster at %s: %w", cfg.Address, err)
	}
	return &Executor{client: c, cfg: cfg, reg: reg}, nil
}

// String names the cluster in messages.
func (x *Executor) String() string { return "Nomad at " + x.cfg.Address }

// Build runs one build as a Nomad job and waits for it to end. binaries
// maps the sha256 of each binary the job runs (strata, a plugin) to its
// local path, pushed to the registry unless it holds it.
func (x *Executor) Build(ctx context.Context, spec *worker.Spec, binaries map[string]string, rep sdk.Reporter) error {
	for sum, path := range binaries {
		st, err := os.Stat(path)
		if err != nil {
			return err
		}
		if err := x.reg.PushBlob(ctx, path, sum, st.Size()); err != nil {
			return err
		}
	}
	specSum, err := x.pushSpec(ctx, spec)
	if err != nil {
		return err
	}
	job := x.job(spec, specSum)
	if _, _, err := x.client.Jobs().Register(job, (&api.WriteOptions{}).WithContext(ctx)); err != nil {
		return fmt.Errorf("submitting %s to %s: %w", spec.Address, x, err)
	}
	rep.Log("info", fmt.Sprintf("building as Nomad job %s", *job.ID))
	return x.wait(ctx, *job.ID, spec.Key, rep)
}

// pushSpec puts the spec into the registry as a blob; it returns its
// sha256.
func (x *Executor) pushSpec(ctx context.Context, spec *worker.Spec) (string, error) {
	data, err := json.Marshal(spec)
	if err != nil {
		return "", err
	}
	f, err := os.CreateTemp("", "strata-spec-")
	if err != nil {
		return "", err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	sum, err := files.SHA256(f.Name())
	if err != nil {
		return "", err
	}
	return sum, x.reg.PushBlob(ctx, f.Name(), sum, int64(len(data)))
}

// job is the batch job that runs strata worker for one build.
func (x *Executor) job(spec *worker.Spec, specSum string) *api.Job {
	suffix := make([]byte, 4)
	rand.Read(suffix)
	id := fmt.Sprintf("strata-%.12s-%s", spec.Key, hex.EncodeToString(suffix))
	job := api.NewBatchJob(id, id, x.cfg.Region, 50)
	if len(x.cfg.Datacenters) > 0 {
		job.Datacenters = x.cfg.Datacenters
	}
	if x.cfg.Namespace != "" {
		job.Namespace = &x.cfg.Namespace
	}
	if x.cfg.NodePool != "" {
		job.NodePool = &x.cfg.NodePool
	}
	job.Meta = map[string]string{"strata.address": spec.Address, "strata.key": spec.Key}
	repo, insecure := x.reg.Repository()
	args := []string{"worker", "-repository", repo, "-spec", specSum}
	if insecure {
		args = append(args, "-insecure")
	}
	task := api.NewTask("build", "raw_exec")
	// The fetched binary is not executable; the shell makes it so.
	task.SetConfig("command", "/bin/sh")
	task.SetConfig("args", []string{"-c", `chmod +x local/strata && exec local/strata "$@"`, "strata"})
	task.Config["args"] = append(task.Config["args"].([]string), args...)
	src := x.reg.BlobURL(spec.Strata)
	task.Artifacts = []*api.TaskArtifact{{GetterSource: &src, RelativeDest: ptr("local/strata"), GetterMode: ptr("file"),
		GetterOptions: map[string]string{"checksum": "sha256:" + spec.Strata}}}
	task.Env = map[string]string{"STRATA_BUILT_ON": "nomad node ${node.unique.name}, allocation ${NOMAD_ALLOC_ID}"}
	if x.cfg.CPU > 0 || x.cfg.Memory > 0 {
		task.Resources = &api.Resources{}
		if x.cfg.CPU > 0 {
			task.Resources.CPU = &x.cfg.CPU
		}
		if x.cfg.Memory > 0 {
			task.Resources.MemoryMB = &x.cfg.Memory
		}
	}
	tg := api.NewTaskGroup("build", 1)
	// A task that dies (its node's worker killed) runs again soon, once;
	// then Nomad's reschedule policy moves it to another node.
	tg.RestartPolicy = &api.RestartPolicy{Attempts: ptr(1), Delay: ptr(time.Second), Interval: ptr(time.Minute), Mode: ptr("fail")}
	tg.AddTask(task)
	job.AddTaskGroup(tg)
	return job
}

func ptr[T any](v T) *T { return &v }

// wait follows a job, forwarding its allocations' events, until the
// entry for key is in the shared store (the worker pushes it last: the
// apply then takes it, verified) or the job is dead without it: an error
// naming its allocation with the last lines it wrote.
func (x *Executor) wait(ctx context.Context, id, key string, rep sdk.Reporter) error {
	followed := map[string]*logFollower{}
	defer func() {
		for _, f := range followed {
			f.stop()
		}
	}()
	for {
		if has, err := x.reg.Has(ctx, key); err != nil {
			return err
		} else if has {
			for _, f := range followed {
				f.drain()
			}
			return nil
		}
		allocs, _, err := x.client.Jobs().Allocations(id, true, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return fmt.Errorf("following Nomad job %s: %w", id, err)
		}
		sort.Slice(allocs, func(i, j int) bool { return allocs[i].CreateIndex < allocs[j].CreateIndex })
		for _, a := range allocs {
			if followed[a.ID] == nil && a.ClientStatus != api.AllocClientStatusPending {
				followed[a.ID] = x.follow(ctx, a.ID, rep)
			}
		}
		job, _, err := x.client.Jobs().Info(id, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return fmt.Errorf("following Nomad job %s: %w", id, err)
		}
		// The job is dead once its allocations are; the list read before
		// may be older than that.
		if job.Status != nil && *job.Status == "dead" && len(allocs) > 0 && allocs[len(allocs)-1].ClientStatus != api.AllocClientStatusRunning &&
			allocs[len(allocs)-1].ClientStatus != api.AllocClientStatusPending {
			last := allocs[len(allocs)-1]
			f := followed[last.ID]
			if f != nil {
				f.drain()
			}
			if last.ClientStatus != api.AllocClientStatusComplete {
				lines := ""
				if f != nil {
					lines = f.tail()
				}
				//lint:ignore ST1005 Nomad is a name, and the message starts a FAILED line
				return fmt.Errorf("Nomad job %s, allocation %s on node %s, %s%s", id, last.ID, last.NodeName, last.ClientStatus, lines)
			}
			return nil
		}
		select {
		case <-ctx.Done():
			x.client.Jobs().Deregister(id, false, nil)
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logFollower streams one allocation's stderr, the worker's events.
type logFollower struct {
	cancel chan struct{}
	done   chan struct{}
	mu     sync.Mutex
	last   []string
	// ended says the worker's last line arrived.
	ended   chan struct{}
	endOnce sync.Once
}

func (x *Executor) follow(ctx context.Context, allocID string, rep sdk.Reporter) *logFollower {
	f := &logFollower{cancel: make(chan struct{}), done: make(chan struct{}), ended: make(chan struct{})}
	go func() {
		defer close(f.done)
		alloc, _, err := x.client.Allocations().Info(allocID, (&api.QueryOptions{}).WithContext(ctx))
		if err != nil {
			return
		}
		frames, errs := x.client.AllocFS().Logs(alloc, true, "build", "stderr", api.OriginStart, 0, f.cancel, nil)
		var pending []byte
		for {
			select {
			case fr, ok := <-frames:
				if !ok {
					return
				}
				if fr == nil || fr.IsHeartbeat() {
					continue
				}
				pending = append(pending, fr.Data...)
				for {
					i := bytes.IndexByte(pending, '\n')
					if i < 0 {
						break
					}
					f.line(string(pending[:i]), rep)
					pending = pending[i+1:]
				}
			case <-errs:
				return
			case <-f.cancel:
				return
			}
		}
	}()
	return f
}

// line forwards one line of the worker's stderr: an event it reports,
// or a line kept for the error of a failed job.
func (f *logFollower) line(s string, rep sdk.Reporter) {
	var ev worker.Event
	if json.Unmarshal([]byte(s), &ev) == nil && ev.Event != "" {
		if ev.Event == "end" {
			// A task run again (its first run killed) ends twice.
			f.endOnce.Do(func() { close(f.ended) })
			return
		}
		ev.Forward(rep)
		if ev.Event != "log" {
			return
		}
		s = ev.Level + ": " + ev.Message
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = append(f.last, s)
	if len(f.last) > 20 {
		f.last = f.last[len(f.last)-20:]
	}
}

// drain lets the stream deliver what the allocation wrote last, up to
// the worker's last line (two seconds at most), then stops it.
func (f *logFollower) drain() {
	select {
	case <-f.ended:
	case <-f.done:
	case <-time.After(2 * time.Second):
	}
	f.stop()
}

func (f *logFollower) stop() {
	select {
	case <-f.cancel:
	default:
		close(f.cancel)
	}
	<-f.done
}

// tail is the allocation's last lines, for an error.
func (f *logFollower) tail() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.last) == 0 {
		return ""
	}
	return "; its last lines:\n  " + strings.Join(f.last, "\n  ")
}
