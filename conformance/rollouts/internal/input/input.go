// Package input reads the batches of synthesized objects the jest harness writes: newline-delimited JSON, one
// batch per line, {"source": "...", "objects": [...]}. One batch is one synthesis (one chart or one app), so
// references between objects are resolved inside the batch only, the way a controller sees one cluster.
package input

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// Batch is one synthesis output.
type Batch struct {
	Source  string           `json:"source"`
	Objects []map[string]any `json:"objects"`
}

// Unstructured returns the batch's objects as unstructured objects (nulls and non-objects skipped).
func (b Batch) Unstructured() []unstructured.Unstructured {
	out := make([]unstructured.Unstructured, 0, len(b.Objects))
	for _, o := range b.Objects {
		if o == nil {
			continue
		}
		out = append(out, unstructured.Unstructured{Object: o})
	}
	return out
}

// ReadAll reads every batch of the given files ("-" or no file: standard input).
func ReadAll(files []string) ([]Batch, error) {
	if len(files) == 0 {
		files = []string{"-"}
	}
	var all []Batch
	for _, f := range files {
		var r io.Reader
		if f == "-" {
			r = os.Stdin
		} else {
			fh, err := os.Open(f)
			if err != nil {
				return nil, err
			}
			defer fh.Close()
			r = fh
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 1<<20), 1<<30)
		line := 0
		for sc.Scan() {
			line++
			if len(sc.Bytes()) == 0 {
				continue
			}
			var b Batch
			// As the API server decodes: whole numbers become int64, not float64.
			if err := utiljson.Unmarshal(sc.Bytes(), &b); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", f, line, err)
			}
			all = append(all, b)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return all, nil
}

// Remarshal converts a JSON-like map into a typed object, rejecting unknown fields when strict.
func Remarshal(obj map[string]any, out any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

// WriteJSON writes v as indented JSON to standard output.
func WriteJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
