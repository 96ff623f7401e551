package migrate

import (
	"testing"
	"testing/fstest"
)

func TestList(t *testing.T) {
	tests := []struct {
		name    string
		files   []string
		want    int
		wantErr bool
	}{
		{"ordered", []string{"0002_b.sql", "0001_a.sql"}, 2, false},
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, 0, true},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, 0, true},
		{"bad name", []string{"first.sql"}, 0, true},
		{"other files ignored", []string{"0001_a.sql", "README.md"}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, f := range tt.files {
				fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1;")}
			}
			got, err := List(fsys, "m")
			if (err != nil) != tt.wantErr || len(got) != tt.want {
				t.Fatalf("List(%v) = %d migrations, %v; want %d, err=%v", tt.files, len(got), err, tt.want, tt.wantErr)
			}
			for i, m := range got {
				if m.Version != i+1 {
					t.Errorf("List(%v)[%d].Version = %d", tt.files, i, m.Version)
				}
			}
		})
	}
}
