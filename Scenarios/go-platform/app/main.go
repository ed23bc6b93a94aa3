// A small net/http service, as it runs in production: it listens on :8080 (or $ADDR) and answers
// GET /healthz with "ok". The smoke test starts it and asks, over HTTP, from outside the container.
package main

import (
	"fmt"
	"net/http"
	"os"
)

func healthz(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "ok")
}

func main() {
	http.HandleFunc("/healthz", healthz)
	addr := ":8080"
	if v := os.Getenv("ADDR"); v != "" {
		addr = v
	}
	fmt.Println("listening on", addr)
	if err := http.ListenAndServe(addr, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
