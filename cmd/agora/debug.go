package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
)

// serveDebug serves Go's profiles (CPU, heap, goroutines, block and
// mutex contention) on addr, apart from the node's pages: an address
// only the admin reaches (AGORA_DEBUG_ADDR), never the public one.
func serveDebug(addr string, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("AGORA_DEBUG_ADDR (--debug-addr): %w", unwrapOp(err))
	}
	// Sample contention too: what requests wait on is the question.
	runtime.SetBlockProfileRate(int(1e6)) // one event per millisecond blocked
	runtime.SetMutexProfileFraction(100)
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * 1e9}
	go srv.Serve(ln)
	log.Warn("serving profiles (AGORA_DEBUG_ADDR): keep this address private", "addr", ln.Addr().String())
	return func() { srv.Close() }, nil
}
