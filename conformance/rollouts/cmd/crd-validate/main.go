// Command crd-validate checks custom resources the way the Kubernetes API server does on create, with
// k8s.io/apiextensions-apiserver's own code: the CRD's openAPIV3Schema as a structural schema, pruning of unknown
// fields (reported, since the API server drops them silently), defaulting, the OpenAPI schema validation
// (ValidateCustomResource) and the CEL rules (x-kubernetes-validations).
//
// Usage: crd-validate -crds <dir with CRD YAML files> [batches.ndjson ...]   (no file: standard input)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery/conformance/rollouts/internal/input"
)

type compiled struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// Verdict is the API server's answer for one custom resource.
type Verdict struct {
	Source string   `json:"source"`
	Kind   string   `json:"kind"`
	Name   string   `json:"name"`
	Pruned []string `json:"pruned"`
	Errors []string `json:"errors"`
}

// Report is the command's output.
type Report struct {
	CRDs      int       `json:"crdVersions"`
	Checked   int       `json:"objectsChecked"`
	Skipped   int       `json:"objectsWithoutCRD"`
	CELRules  int       `json:"objectsWithCelRules"`
	WithError int       `json:"objectsWithErrors"`
	Pruned    int       `json:"objectsWithPrunedFields"`
	Results   []Verdict `json:"results"`
}

func loadCRDs(dir string) (map[string]*compiled, error) {
	out := map[string]*compiled{}
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		dec := utilyaml.NewYAMLOrJSONDecoder(fh, 1<<20)
		for {
			var crd apiextensionsv1.CustomResourceDefinition
			if err := dec.Decode(&crd); err != nil {
				if err.Error() == "EOF" {
					break
				}
				_ = fh.Close()
				return nil, fmt.Errorf("%s: %w", f, err)
			}
			if crd.Kind != "CustomResourceDefinition" {
				continue
			}
			for _, v := range crd.Spec.Versions {
				if v.Schema == nil || v.Schema.OpenAPIV3Schema == nil {
					continue
				}
				var internal apiextensions.JSONSchemaProps
				if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.Schema.OpenAPIV3Schema, &internal, nil); err != nil {
					return nil, fmt.Errorf("%s %s: %w", crd.Name, v.Name, err)
				}
				s, err := structuralschema.NewStructural(&internal)
				if err != nil {
					return nil, fmt.Errorf("%s %s: not a structural schema: %w", crd.Name, v.Name, err)
				}
				val, _, err := apiservervalidation.NewSchemaValidator(&internal)
				if err != nil {
					return nil, fmt.Errorf("%s %s: %w", crd.Name, v.Name, err)
				}
				key := crd.Spec.Group + "/" + v.Name + "/" + crd.Spec.Names.Kind
				out[key] = &compiled{structural: s, validator: val, cel: cel.NewValidator(s, true, celconfig.PerCallLimit)}
			}
		}
		_ = fh.Close()
	}
	return out, nil
}

func check(c *compiled, obj map[string]any) (pruned []string, errs []string) {
	obj = runtime.DeepCopyJSON(obj)
	pruned = pruning.PruneWithOptions(obj, c.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	structuraldefaulting.Default(obj, c.structural)
	var all field.ErrorList
	all = append(all, apiservervalidation.ValidateCustomResource(nil, obj, c.validator)...)
	if c.cel != nil {
		celErrs, _ := c.cel.Validate(context.Background(), nil, c.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		all = append(all, celErrs...)
	}
	for _, e := range all {
		errs = append(errs, e.Error())
	}
	sort.Strings(pruned)
	return pruned, errs
}

func main() {
	crdDir := flag.String("crds", "", "directory of CRD YAML files")
	flag.Parse()
	crds, err := loadCRDs(*crdDir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	batches, err := input.ReadAll(flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rep := Report{CRDs: len(crds), Results: []Verdict{}}
	for _, b := range batches {
		for _, o := range b.Unstructured() {
			gv := strings.SplitN(o.GetAPIVersion(), "/", 2)
			if len(gv) != 2 {
				continue // core kinds
			}
			c, ok := crds[gv[0]+"/"+gv[1]+"/"+o.GetKind()]
			if !ok {
				rep.Skipped++
				continue
			}
			rep.Checked++
			if c.cel != nil {
				rep.CELRules++
			}
			pruned, errs := check(c, o.Object)
			v := Verdict{Source: b.Source, Kind: o.GetKind(), Name: o.GetName(), Pruned: pruned, Errors: errs}
			if v.Pruned == nil {
				v.Pruned = []string{}
			}
			if v.Errors == nil {
				v.Errors = []string{}
			}
			if len(errs) > 0 {
				rep.WithError++
			}
			if len(pruned) > 0 {
				rep.Pruned++
			}
			if len(errs) > 0 || len(pruned) > 0 {
				rep.Results = append(rep.Results, v)
			}
		}
	}
	if err := input.WriteJSON(rep); err != nil {
		os.Exit(2)
	}
}
