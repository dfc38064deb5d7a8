// Command benchnomad measures builds on a Nomad cluster against the same
// builds here, in one run: a synthetic DAG of artifacts whose builds take
// a fixed time (the probe plugin sleeping) on 1 and 3 Nomad clients,
// against the DAG's critical path, with each job's overhead (submitted to
// started); and examples/fedora applied here, then on 1 and 3 clients.
// Every run has a repository of its own in one registry, so nothing is
// fetched from an earlier one. make bench runs it.
//
//	go run ./tools/benchnomad -strata bin/strata
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/strata-build/strata/internal/rig/benchrun"
	"github.com/strata-build/strata/internal/rig/cluster"
	"github.com/strata-build/strata/internal/rig/genrpm"
	"github.com/strata-build/strata/sdk/files"
)

func main() {
	strata := flag.String("strata", "bin/strata", "the strata binary")
	build := flag.Duration("build", 4*time.Second, "how long each build of the synthetic DAG takes")
	fedora := flag.Bool("fedora", true, "also apply examples/fedora here and on the clusters")
	flag.Parse()
	abs, err := filepath.Abs(*strata)
	benchrun.Check(err)
	work, err := os.MkdirTemp("", "benchnomad-")
	benchrun.Check(err)
	defer os.RemoveAll(work)

	plugins := filepath.Join(work, "plugins")
	benchrun.Check(os.MkdirAll(plugins, 0o755))
	benchrun.Output("go", "build", "-o", filepath.Join(plugins, "strata-plugin-probe"), "./internal/rig/probe")
	reg := cluster.NewRegistry(look("docker-registry"), filepath.Join(work, "registry"), port())
	benchrun.Check(reg.Start(false))
	defer reg.Stop()
	nomad := look("nomad")

	fmt.Printf("synthetic DAG: 3 chains of 3 builds of %s each (critical path %s)\n", *build, 3**build)
	fmt.Printf("%-9s | %8s %8s | %s\n", "clients", "wall", "÷ path", "per job, median: queued (submitted → placed), start (placed → running)")
	for _, clients := range []int{1, 3} {
		n, err := cluster.StartNomad(nomad, filepath.Join(work, fmt.Sprintf("nomad%d", clients)), clients)
		benchrun.Check(err)
		dir := filepath.Join(work, fmt.Sprintf("dag%d", clients))
		writeDAG(dir, *build, settings(reg.Port, fmt.Sprintf("dag%d", clients), n.Address, memoryPerBuild()))
		env := append(os.Environ(), "STRATA_PLUGIN_PATH="+plugins)
		run(env, abs, "init", dir)
		wall := runTimed(env, abs, "apply", "-auto-approve", "-parallelism", "16", dir)
		queued, start := overhead(n.Address)
		fmt.Printf("%-9d | %7.2fs %7.2fx | %.2fs, %.2fs\n", clients, wall.Seconds(), wall.Seconds()/(3**build).Seconds(), queued.Seconds(), start.Seconds())
		n.Stop()
	}
	if !*fedora {
		return
	}
	fmt.Printf("\nexamples/fedora (%s)\n", "yum repositories, DVDs, an ostree commit, images")
	fmt.Printf("%-9s | %8s\n", "where", "wall")
	base := filepath.Join(work, "fedora")
	benchrun.Check(os.MkdirAll(base, 0o755))
	for _, f := range []string{"main.hcl", "groups.hcl", "packages.json"} {
		data, err := os.ReadFile(filepath.Join("examples", "fedora", f))
		benchrun.Check(err)
		benchrun.Check(os.WriteFile(filepath.Join(base, f), data, 0o644))
	}
	benchrun.Output("go", "run", "./tools/genuniverse", "-config", base, "-given", filepath.Join(base, "packages.json"), "-out", filepath.Join(base, "rpms"))
	for _, clients := range []int{0, 1, 3} {
		dir := filepath.Join(work, fmt.Sprintf("fedora%d", clients))
		benchrun.Check(files.LinkTree(base, dir))
		where := "here"
		if clients > 0 {
			n, err := cluster.StartNomad(nomad, filepath.Join(work, fmt.Sprintf("fnomad%d", clients)), clients)
			benchrun.Check(err)
			defer n.Stop()
			text := settings(reg.Port, fmt.Sprintf("fedora%d", clients), n.Address, memoryPerBuild())
			benchrun.Check(os.WriteFile(filepath.Join(dir, "cluster.hcl"), []byte(text), 0o644))
			where = fmt.Sprintf("%d client", clients)
		}
		run(os.Environ(), abs, "init", dir)
		wall := runTimed(os.Environ(), abs, "apply", "-auto-approve", "-parallelism", "16", dir)
		fmt.Printf("%-9s | %7.2fs\n", where, wall.Seconds())
	}
}

// settings are the store and executor blocks of one run.
func settings(registryPort int, repo, nomad string, memory int) string {
	return fmt.Sprintf(`
store "oci" {
  repository = "127.0.0.1:%d/bench/%s"
  insecure   = true
}

executor "nomad" {
  address = %q
  resources {
    memory = %d
  }
}
`, registryPort, repo, nomad, memory)
}

// memoryPerBuild is more than half a node's memory (every node here is
// this machine), so that a node runs one build at a time, as a builder
// sized for its builds does.
func memoryPerBuild() int {
	data, err := os.ReadFile("/proc/meminfo")
	benchrun.Check(err)
	var kb int
	fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(data), "\n", 2)[0], "MemTotal:"), "%d", &kb)
	return kb / 1024 * 6 / 10
}

// writeDAG writes a configuration of three chains of three probe
// artifacts, each sleeping d.
func writeDAG(dir string, d time.Duration, extra string) {
	benchrun.Check(os.MkdirAll(dir, 0o755))
	benchrun.Generate(filepath.Join(dir, "rpms"), []genrpm.Spec{{Name: "alpha", Version: "1.0", Release: "1"}})
	var b strings.Builder
	b.WriteString("source \"rpm_dir\" \"pkgs\" {\n  path = \"./rpms\"\n}\n")
	for c := 0; c < 3; c++ {
		for l := 0; l < 3; l++ {
			fmt.Fprintf(&b, "\nartifact \"probe\" \"c%dl%d\" {\n  packages = [\"alpha\"]\n  behavior = \"sleep:%s\"\n  message  = \"chain %d level %d\"\n", c, l, d, c, l)
			if l > 0 {
				fmt.Fprintf(&b, "  input    = artifact.probe.c%dl%d.digest\n", c, l-1)
			}
			b.WriteString("}\n")
		}
	}
	b.WriteString(extra)
	benchrun.Check(os.WriteFile(filepath.Join(dir, "main.hcl"), []byte(b.String()), 0o644))
}

// overhead is, over the cluster's jobs, the median time a job waited
// for a node (from its submission to its allocation) and the median time
// its task took to start there (fetching the strata binary included).
func overhead(address string) (queued, start time.Duration) {
	var jobs []struct{ ID string }
	getJSON(address+"/v1/jobs", &jobs)
	var queues, starts []time.Duration
	for _, j := range jobs {
		var job struct{ SubmitTime int64 }
		getJSON(address+"/v1/job/"+j.ID, &job)
		var allocs []struct {
			CreateTime int64
			TaskStates map[string]struct{ StartedAt time.Time }
		}
		getJSON(address+"/v1/job/"+j.ID+"/allocations", &allocs)
		for _, a := range allocs {
			if st, ok := a.TaskStates["build"]; ok && !st.StartedAt.IsZero() {
				queues = append(queues, time.Unix(0, a.CreateTime).Sub(time.Unix(0, job.SubmitTime)))
				starts = append(starts, st.StartedAt.Sub(time.Unix(0, a.CreateTime)))
				break
			}
		}
	}
	return median(queues), median(starts)
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}

func getJSON(url string, v any) {
	resp, err := http.Get(url)
	benchrun.Check(err)
	defer resp.Body.Close()
	benchrun.Check(json.NewDecoder(resp.Body).Decode(v))
}

// runTimed runs a command to its end and says how long it took.
func runTimed(env []string, name string, args ...string) time.Duration {
	start := time.Now()
	run(env, name, args...)
	return time.Since(start)
}

// run runs a command; a failure ends the benchmark with its output.
func run(env []string, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		os.Exit(1)
	}
}

func look(name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchnomad needs %s (make test-deps installs it)\n", name)
		os.Exit(1)
	}
	return p
}

func port() int {
	p, err := cluster.FreePort()
	benchrun.Check(err)
	return p
}
