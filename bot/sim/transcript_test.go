package sim

import (
	"slices"
	"testing"
)

func seqs(entries []Entry) []int64 {
	out := []int64{}
	for _, e := range entries {
		out = append(out, e.Seq)
	}
	return out
}

func TestTranscript(t *testing.T) {
	tests := []struct {
		name  string
		keep  int
		panes []string // one entry added per element, to that pane
		after int64
		want  []int64
	}{
		{"EmptyHasNothing", 5, nil, 0, []int64{}},
		{"NumbersAcrossPanesInOrder", 5, []string{"a", "b", "a", "c"}, 0, []int64{1, 2, 3, 4}},
		{"SinceSkipsWhatWasSeen", 5, []string{"a", "b", "a", "c"}, 2, []int64{3, 4}},
		{"SinceTheLastSeesNothing", 5, []string{"a", "b"}, 2, []int64{}},
		{"EachPaneKeepsItsLast", 2, []string{"a", "a", "b", "a", "a", "b"}, 0, []int64{3, 4, 5, 6}},
		{"AQuietPaneKeepsItsOld", 1, []string{"a", "b", "b", "b"}, 0, []int64{1, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTranscript(tt.keep)
			for _, p := range tt.panes {
				tr.add(Entry{Pane: p})
			}
			if got := seqs(tr.since(tt.after)); !slices.Equal(got, tt.want) {
				t.Errorf("since(%d) = %v, want %v", tt.after, got, tt.want)
			}
		})
	}
}

func TestSubscribe(t *testing.T) {
	t.Run("BacklogThenNewEntriesWithoutGapOrRepeat", func(t *testing.T) {
		tr := newTranscript(10)
		tr.add(Entry{Pane: "a"})
		tr.add(Entry{Pane: "b"})
		backlog, c, cancel := tr.subscribe(1, 4)
		defer cancel()
		tr.add(Entry{Pane: "a"})
		got := append(seqs(backlog), (<-c).Seq)
		if !slices.Equal(got, []int64{2, 3}) {
			t.Fatalf("seen %v, want [2 3]", got)
		}
	})
	t.Run("SlowSubscriberIsDroppedNotWaitedFor", func(t *testing.T) {
		tr := newTranscript(10)
		_, c, cancel := tr.subscribe(0, 1)
		defer cancel()
		tr.add(Entry{Pane: "a"})
		tr.add(Entry{Pane: "a"}) // the buffer is full: add must not block
		if e := <-c; e.Seq != 1 {
			t.Fatalf("first entry %d, want 1", e.Seq)
		}
		if _, open := <-c; open {
			t.Fatal("channel still open after the subscriber fell behind")
		}
	})
	t.Run("CancelClosesOnce", func(t *testing.T) {
		tr := newTranscript(10)
		_, c, cancel := tr.subscribe(0, 1)
		cancel()
		cancel()
		if _, open := <-c; open {
			t.Fatal("channel open after cancel")
		}
		tr.add(Entry{Pane: "a"}) // no send on a closed channel
	})
	t.Run("CloseEndsEverySubscriptionAndLaterOnes", func(t *testing.T) {
		tr := newTranscript(10)
		_, c1, cancel := tr.subscribe(0, 1)
		defer cancel()
		tr.add(Entry{Pane: "a"})
		tr.close()
		backlog, c2, cancel2 := tr.subscribe(0, 1)
		defer cancel2()
		if len(backlog) != 1 {
			t.Errorf("backlog after close = %v, want the kept entry", seqs(backlog))
		}
		<-c1
		for i, c := range []<-chan Entry{c1, c2} {
			if _, open := <-c; open {
				t.Errorf("subscription %d still open after close", i+1)
			}
		}
	})
}
