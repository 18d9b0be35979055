package ingest

import (
	"context"
	"testing"
)

func TestAdmission(t *testing.T) {
	ctx := context.Background()
	t.Run("OK requests up to the limit, then shed, then admitted once one ends", func(t *testing.T) {
		a := newAdmission(2, 1<<20, 0)
		for i := range 2 {
			if !a.acquire(ctx, 10) {
				t.Fatalf("request %d of 2 within the limit was shed", i+1)
			}
		}
		if a.acquire(ctx, 10) {
			t.Fatal("a third request over the limit of 2 was admitted")
		}
		a.release(10)
		if !a.acquire(ctx, 10) {
			t.Fatal("a request after one ended was shed")
		}
	})
	t.Run("OK bytes bound the requests too, and one request of any size is admitted alone", func(t *testing.T) {
		a := newAdmission(10, 100, 0)
		if !a.acquire(ctx, 60) {
			t.Fatal("60 of 100 bytes shed")
		}
		if a.acquire(ctx, 60) {
			t.Fatal("120 of 100 bytes admitted")
		}
		a.release(60)
		if !a.acquire(ctx, 1000) {
			t.Fatal("a request larger than the bound, alone, was shed")
		}
		if a.acquire(ctx, 1) {
			t.Fatal("a request beside one holding the whole bound was admitted")
		}
		a.release(1000)
	})
}
