package main

// The checks the AnalysisRun controller makes when a run of one (Cluster)AnalysisTemplate starts
// (analysis/analysis.go reconcileAnalysisRun of Argo Rollouts v1.9.1), run on every template of a batch on its own:
// resolving the args into the metrics (analysisutil.ResolveMetricArgs: "failed to resolve {{...}}"),
// analysisutil.ValidateMetrics ("Analysis spec invalid: metrics[i]: ..."), analysisutil.GetDryRunMetrics and
// GetMeasurementRetentionMetrics ("Rule didn't match any metric name(s)"); then, per provider, what a measurement
// would hit first: for a web metric the provider's own constructors (webmetric.NewWebMetricJsonParser,
// NewWebMetricHttpClient) and Provider.Run up to the request (its body/method rules and http.NewRequest), with an
// HTTP transport that answers without a network and records the request; every success/failure condition compiled
// by expr (github.com/antonmedv/expr, the version Argo Rollouts pins) in the environment utils/evaluate builds.
//
// Args without a value (required ones, Secret-backed ones) get a placeholder value, as the controller's reference
// validation does (validation_references.go setArgValuePlaceHolder); an arg that is a web metric's whole URL gets a
// URL.

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/antonmedv/expr"
	"github.com/argoproj/argo-rollouts/metricproviders/webmetric"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	log "github.com/sirupsen/logrus"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery/conformance/rollouts/internal/input"
)

// TemplateResult is the verdict on one (Cluster)AnalysisTemplate.
type TemplateResult struct {
	Source    string    `json:"source"`
	Kind      string    `json:"kind"`
	Namespace string    `json:"namespace,omitempty"`
	Name      string    `json:"name"`
	Metrics   int       `json:"metrics"`
	Errors    []Problem `json:"errors"`
	// Requests: the HTTP request each web metric's provider built (args without a value show their placeholder).
	Requests []WebRequest `json:"requests"`
}

// WebRequest is the request the web provider sent to the recording transport.
type WebRequest struct {
	Metric  string            `json:"metric"`
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    string            `json:"body,omitempty"`
}

// placeholderValue is what an arg without a value resolves to.
const placeholderValue = "placeholder"

type recorder struct {
	req  *WebRequest
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	headers := map[string]string{}
	for k := range req.Header {
		headers[k] = req.Header.Get(k)
	}
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
	}
	r.req = &WebRequest{Method: req.Method, URL: req.URL.String(), Headers: headers, Body: string(body)}
	return &http.Response{StatusCode: 200, Body: io.NopCloser(bytes.NewReader(r.body)), Header: http.Header{}, Request: req}, nil
}

// conditionEnv has the names and types of the environment utils/evaluate.EvalCondition builds; `result` is typed
// as an interface, as the value of any provider can be (a number, a list, a JSON object).
type conditionEnv struct {
	Result  any                `expr:"result"`
	AsInt   func(any) int64    `expr:"asInt"`
	AsFloat func(any) float64  `expr:"asFloat"`
	IsNaN   func(float64) bool `expr:"isNaN"`
	IsInf   func(float64) bool `expr:"isInf"`
	IsNil   func(any) bool     `expr:"isNil"`
	Default func(any, any) any `expr:"default"`
}

func validateTemplate(source string, o unstructured.Unstructured) (res TemplateResult) {
	res = TemplateResult{Source: source, Kind: o.GetKind(), Name: o.GetName(), Errors: []Problem{}, Requests: []WebRequest{}}
	if o.GetKind() == "AnalysisTemplate" {
		res.Namespace = ns(o)
	}
	defer func() {
		if p := recover(); p != nil {
			res.Errors = append(res.Errors, Problem{Stage: "panic", Message: fmt.Sprint(p)})
		}
	}()
	var spec v1alpha1.AnalysisTemplateSpec
	if inner, ok := o.Object["spec"].(map[string]any); ok {
		if err := input.Remarshal(inner, &spec); err != nil {
			res.Errors = append(res.Errors, Problem{Stage: "decode", Message: err.Error()})
			return res
		}
	}
	res.Metrics = len(spec.Metrics)
	wholeURLArgs := map[string]bool{}
	for _, m := range spec.Metrics {
		if m.Provider.Web != nil {
			u := strings.TrimSpace(m.Provider.Web.URL)
			if strings.HasPrefix(u, "{{") && strings.HasSuffix(u, "}}") {
				wholeURLArgs[strings.TrimPrefix(strings.TrimSpace(u[2:len(u)-2]), "args.")] = true
			}
		}
	}
	args := make([]v1alpha1.Argument, 0, len(spec.Args))
	for _, a := range spec.Args {
		if a.Value != nil && a.ValueFrom != nil {
			res.Errors = append(res.Errors, Problem{Stage: "args", Message: fmt.Sprintf("arg '%s' has both Value and ValueFrom fields", a.Name)})
		}
		if a.Value == nil {
			v := placeholderValue
			if wholeURLArgs[a.Name] {
				v = "http://placeholder.invalid/"
			}
			a.Value = &v
		}
		args = append(args, a)
	}
	resolved := make([]v1alpha1.Metric, 0, len(spec.Metrics))
	for _, m := range spec.Metrics {
		r, err := analysisutil.ResolveMetricArgs(m, args)
		if err != nil {
			res.Errors = append(res.Errors, Problem{Stage: "resolve", Message: fmt.Sprintf("Unable to resolve metric arguments: %v", err)})
			return res
		}
		resolved = append(resolved, *r)
	}
	if err := analysisutil.ValidateMetrics(resolved); err != nil {
		res.Errors = append(res.Errors, Problem{Stage: "metrics", Message: fmt.Sprintf("Analysis spec invalid: %v", err)})
	}
	if _, err := analysisutil.GetDryRunMetrics(spec.DryRun, resolved); err != nil {
		res.Errors = append(res.Errors, Problem{Stage: "dryRun", Message: fmt.Sprintf("Analysis spec invalid: %v", err)})
	}
	if _, err := analysisutil.GetMeasurementRetentionMetrics(spec.MeasurementRetention, resolved); err != nil {
		res.Errors = append(res.Errors, Problem{Stage: "measurementRetention", Message: fmt.Sprintf("Analysis spec invalid: %v", err)})
	}
	for i, m := range resolved {
		for _, c := range []string{m.SuccessCondition, m.FailureCondition} {
			if c == "" {
				continue
			}
			if _, err := expr.Compile(c, expr.Env(conditionEnv{})); err != nil {
				res.Errors = append(res.Errors, Problem{Stage: "condition", Field: fmt.Sprintf("metrics[%d]", i), Message: fmt.Sprintf("%s: %v", c, err)})
			}
		}
		if m.Provider.Web != nil {
			req, problems := runWeb(m)
			for _, p := range problems {
				p.Field = fmt.Sprintf("metrics[%d]", i)
				res.Errors = append(res.Errors, p)
			}
			if req != nil {
				res.Requests = append(res.Requests, *req)
			}
		}
	}
	return res
}

// runWeb takes one measurement of a web metric with the recording transport, answering `{}`.
func runWeb(m v1alpha1.Metric) (*WebRequest, []Problem) {
	logger := log.NewEntry(log.New())
	logger.Logger.SetOutput(io.Discard)
	parser, err := webmetric.NewWebMetricJsonParser(m)
	if err != nil {
		return nil, []Problem{{Stage: "web", Message: fmt.Sprintf("jsonPath: %v", err)}}
	}
	client, err := webmetric.NewWebMetricHttpClient(m)
	if err != nil {
		return nil, []Problem{{Stage: "web", Message: err.Error()}}
	}
	rec := &recorder{body: []byte("{}")}
	if m.Provider.Web.Authentication.OAuth2.TokenURL != "" {
		// the OAuth2 client wraps its own transport: only the request-building half is checked here
		_ = client
		client = &http.Client{Transport: rec}
	} else {
		client.Transport = rec
	}
	p := webmetric.NewWebMetricProvider(*logger, client, parser)
	run := &v1alpha1.AnalysisRun{}
	meas := p.Run(run, m)
	if rec.req == nil {
		// the provider refused before sending anything
		return nil, []Problem{{Stage: "web", Message: meas.Message}}
	}
	rec.req.Metric = m.Name
	return rec.req, nil
}

func validateTemplates(b input.Batch) []TemplateResult {
	out := []TemplateResult{}
	for _, o := range b.Unstructured() {
		if o.GroupVersionKind().Group != "argoproj.io" || (o.GetKind() != "AnalysisTemplate" && o.GetKind() != "ClusterAnalysisTemplate") {
			continue
		}
		out = append(out, validateTemplate(b.Source, o))
	}
	return out
}
