// Package jsonl reads the batches the jest side writes (one JSON object per line, from files or stdin) and writes a
// command's report: the one input/output path of this module's commands.
package jsonl

import (
	"bufio"
	"encoding/json"
	"os"
)

// ReadAll decodes every non-empty line of the files (stdin when none) into a T.
func ReadAll[T any](files []string) ([]T, error) {
	if len(files) == 0 {
		files = []string{"/dev/stdin"}
	}
	out := []T{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 0, 1<<20), 1<<30)
		for sc.Scan() {
			if len(sc.Bytes()) == 0 {
				continue
			}
			var v T
			if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
				_ = fh.Close()
				return nil, err
			}
			out = append(out, v)
		}
		err = sc.Err()
		_ = fh.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// WriteJSON writes v to stdout, indented.
func WriteJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
