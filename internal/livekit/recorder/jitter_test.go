package recorder

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pion/rtp"
)

type jitterOut struct {
	Seq  uint16
	Lost uint64
}

func TestJitterBuffer(t *testing.T) {
	t0 := time.Unix(0, 0)
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	type push struct {
		seq uint16
		at  int // ms
	}
	tests := []struct {
		name  string
		push  []push
		force bool
		want  []jitterOut
		late  uint64
	}{
		{"in order passes through", []push{{1, 0}, {2, 1}, {3, 2}}, false,
			[]jitterOut{{1, 0}, {2, 0}, {3, 0}}, 0},
		{"reordered within the delay", []push{{1, 0}, {3, 1}, {2, 50}}, false,
			[]jitterOut{{1, 0}, {2, 0}, {3, 0}}, 0},
		{"gap declared lost after the delay", []push{{1, 0}, {3, 1}, {4, 250}}, false,
			[]jitterOut{{1, 0}, {3, 1}, {4, 0}}, 0},
		{"gap still awaited before the delay", []push{{1, 0}, {3, 1}, {4, 150}}, false,
			[]jitterOut{{1, 0}}, 0},
		{"force flushes the gap", []push{{1, 0}, {3, 1}}, true,
			[]jitterOut{{1, 0}, {3, 1}}, 0},
		{"late and duplicate packets dropped", []push{{1, 0}, {3, 1}, {4, 300}, {2, 301}, {4, 302}}, false,
			[]jitterOut{{1, 0}, {3, 1}, {4, 0}}, 2},
		{"sequence wraps", []push{{65534, 0}, {65535, 1}, {0, 2}, {1, 3}}, false,
			[]jitterOut{{65534, 0}, {65535, 0}, {0, 0}, {1, 0}}, 0},
		{"restart on a huge jump", []push{{1, 0}, {2, 1}, {10000, 2}, {10001, 3}}, false,
			[]jitterOut{{1, 0}, {2, 0}, {10000, 0}, {10001, 0}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jb := newJitterBuffer(200 * time.Millisecond)
			var got []jitterOut
			emit := func(p jitterPacket) { got = append(got, jitterOut{p.pkt.SequenceNumber, p.lost}) }
			for _, p := range tt.push {
				jb.push(&rtp.Packet{Header: rtp.Header{SequenceNumber: p.seq}}, ms(p.at), emit)
			}
			if tt.force {
				jb.pop(ms(1000), true, emit)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("emitted (-want +got):\n%s", diff)
			}
			if jb.late != tt.late {
				t.Errorf("late = %d, want %d", jb.late, tt.late)
			}
		})
	}
}
