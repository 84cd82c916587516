module github.com/libtrustsvc/libtrustsvc/bindings/go

go 1.19
