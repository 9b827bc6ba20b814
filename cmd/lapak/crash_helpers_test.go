package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// buildBinary builds this command into a temporary directory, as it is deployed, and returns
// the binary's path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lapak")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build lapak: %v\n%s", err, out)
	}
	return bin
}

// child is `lapak serve` running as a child process with exactly env, its output appended to a
// log file that the test prints when it fails.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	exited chan struct{} // closed once the process is gone
}

// startChild starts `lapak serve` and waits until its /healthz answers 200. The process is
// killed when the test ends, if it still runs; see printLogOnFailure for its log.
func startChild(t *testing.T, bin string, env map[string]string, logPath string) *child {
	t.Helper()
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close() // the child has its own copy
	c := &child{t: t, cmd: exec.Command(bin, "serve"), addr: env["HTTP_ADDR"], exited: make(chan struct{})}
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	for k, v := range env {
		c.cmd.Env = append(c.cmd.Env, k+"="+v)
	}
	sort.Strings(c.cmd.Env)
	if err := c.cmd.Start(); err != nil {
		t.Fatalf("start lapak: %v", err)
	}
	go func() {
		c.cmd.Wait() //nolint:errcheck // a killed child exits with an error, as it should
		close(c.exited)
	}()
	t.Cleanup(c.kill)
	c.waitHealthy(30 * time.Second)
	return c
}

// waitHealthy polls /healthz until it answers 200, the child exits, or within passes.
func (c *child) waitHealthy(within time.Duration) {
	c.t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if resp, err := http.Get("http://" + c.addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-c.exited:
			c.t.Fatalf("lapak serve exited at start: %v", c.cmd.ProcessState)
		case <-deadline.C:
			c.t.Fatalf("lapak serve did not answer /healthz within %s", within)
		case <-tick.C:
		}
	}
}

// kill sends SIGKILL, as the kernel's OOM killer or a lost machine would, and waits until the
// process is gone.
func (c *child) kill() {
	select {
	case <-c.exited:
		return
	default:
	}
	if err := c.cmd.Process.Kill(); err != nil {
		c.t.Errorf("kill lapak: %v", err)
	}
	<-c.exited
}

// printLogOnFailure prints the tail of a child's log when the test failed.
func printLogOnFailure(t *testing.T, logPath string) {
	if !t.Failed() {
		return
	}
	out, err := os.ReadFile(logPath)
	if err != nil {
		return
	}
	if len(out) > 8000 {
		out = out[len(out)-8000:]
	}
	t.Logf("lapak serve's log, its end:\n%s", bytes.TrimSpace(out))
}

// gate holds goroutines back while the server is down.
type gate struct {
	mu   sync.Mutex
	open chan struct{} // closed while the server is up
}

func newGate() *gate {
	g := &gate{open: make(chan struct{})}
	close(g.open)
	return g
}

// shut makes wait block until reopen.
func (g *gate) shut() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.open = make(chan struct{})
}

// reopen lets every waiter through.
func (g *gate) reopen() {
	g.mu.Lock()
	defer g.mu.Unlock()
	close(g.open)
}

// wait returns once the gate is open.
func (g *gate) wait() {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	<-open
}
