// Command rollout-health runs Argo CD's own health assessment of argoproj.io/Rollout objects: the built-in Lua
// health check shipped in the argo-cd module (resource_customizations/argoproj.io/Rollout/health.lua), executed by
// argo-cd's util/lua through ResourceHealthOverrides.GetResourceHealth, the entry point the application controller
// uses when no override is configured. For each input batch it also aggregates the batch's health the way an
// Application's health is the worst of its resources (gitops-engine's health.IsWorse).
//
// Input: newline-delimited JSON batches {"source": "...", "objects": [...]} (files or standard input).
// Output: one JSON report.
package main

import (
	"fmt"
	"os"

	"github.com/argoproj/argo-cd/gitops-engine/pkg/health"
	"github.com/argoproj/argo-cd/v3/util/lua"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery/conformance/argocd/internal/jsonl"
)

type batch struct {
	Source  string           `json:"source"`
	Objects []map[string]any `json:"objects"`
}

type objectHealth struct {
	Kind    string `json:"kind"`
	Name    string `json:"name"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

type batchHealth struct {
	Source string `json:"source"`
	// Application is the aggregated health of the batch's objects that have a health assessment.
	Application string         `json:"application"`
	Objects     []objectHealth `json:"objects"`
}

func main() {
	batches, err := jsonl.ReadAll[batch](os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := []batchHealth{}
	for _, b := range batches {
		out = append(out, assess(b))
	}
	if err := jsonl.WriteJSON(out); err != nil {
		os.Exit(2)
	}
}

func assess(b batch) batchHealth {
	res := batchHealth{Source: b.Source, Application: string(health.HealthStatusHealthy), Objects: []objectHealth{}}
	for _, o := range b.Objects {
		obj := &unstructured.Unstructured{Object: o}
		oh := objectHealth{Kind: obj.GetKind(), Name: obj.GetName()}
		hs, err := lua.ResourceHealthOverrides{}.GetResourceHealth(obj)
		switch {
		case err != nil:
			oh.Error = err.Error()
			oh.Status = string(health.HealthStatusUnknown)
		case hs == nil:
			// No health check for this kind: it does not take part in the Application's health.
			continue
		default:
			oh.Status, oh.Message = string(hs.Status), hs.Message
		}
		if health.IsWorse(health.HealthStatusCode(res.Application), health.HealthStatusCode(oh.Status)) {
			res.Application = oh.Status
		}
		res.Objects = append(res.Objects, oh)
	}
	return res
}
