// A small net/http service. `app selftest` starts the server on a free port, calls it once and prints
// "ok <body>", so a smoke test proves the binary starts, serves and resolves its own address.
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
)

func handler(w http.ResponseWriter, r *http.Request) {
	fmt.Fprint(w, "true")
}

func main() {
	http.HandleFunc("/healthz", handler)
	if len(os.Args) > 1 && os.Args[1] == "selftest" {
		listener, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "listen:", err)
			os.Exit(1)
		}
		go http.Serve(listener, nil)
		resp, err := http.Get("http://localhost:" + fmt.Sprint(listener.Addr().(*net.TCPAddr).Port) + "/healthz")
		if err != nil {
			fmt.Fprintln(os.Stderr, "get:", err)
			os.Exit(1)
		}
		body, _ := io.ReadAll(resp.Body)
		fmt.Println("ok", string(body))
		return
	}
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
