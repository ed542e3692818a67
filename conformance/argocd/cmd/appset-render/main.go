// Command appset-render runs Argo CD's own ApplicationSet code on synthesized ApplicationSets:
//
//   - the generators (list, clusters, matrix, merge: applicationset/generators, wired the way the controller wires
//     them, terminal → nested → top level) with the cluster Secrets of the batch served by controller-runtime's fake
//     client, and the controller's template rendering (applicationset/controllers/template.GenerateApplications with
//     applicationset/utils.Render, Go templates and goTemplateOptions such as missingkey=error);
//   - for a RollingSync ApplicationSet, the first reconcile of applicationset/progressivesync's Manager
//     (PerformProgressiveSyncs) on those Applications, all existing and OutOfSync: the step each Application is
//     assigned (ApplicationSet status.applicationStatus[].step) and which ones the first step's maxUpdate lets sync;
//   - then the release simulation (progress.go): the Manager driven reconcile after reconcile until the release
//     completes or stalls, the Applications' health after their sync given by the batch's scenario.
//
// Each Application is reported with its whole spec as generated (templatePatch applied, every source), so the
// harness compares the library's static rendering field by field.
//
// Input: newline-delimited JSON batches {"source": "...", "objects": [...], "scenario": {...}}: ApplicationSets and cluster Secrets
// (label argocd.argoproj.io/secret-type=cluster, namespace of the ApplicationSet). Output: one JSON report.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"

	"github.com/argoproj/argo-cd/v3/applicationset/controllers/template"
	"github.com/argoproj/argo-cd/v3/applicationset/generators"
	"github.com/argoproj/argo-cd/v3/applicationset/progressivesync"
	"github.com/argoproj/argo-cd/v3/applicationset/utils"
	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	"github.com/argoproj/argo-cd/v3/util/argo/normalizers"
	log "github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	"github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery/conformance/argocd/internal/jsonl"
)

type batch struct {
	Source  string           `json:"source"`
	Objects []map[string]any `json:"objects"`
	// Scenario of the release simulation (default: every Application Healthy right after its sync).
	Scenario Scenario `json:"scenario"`
}

// App is what the comparison needs of one generated Application.
type App struct {
	Name                 string            `json:"name"`
	Namespace            string            `json:"namespace"`
	Labels               map[string]string `json:"labels"`
	Project              string            `json:"project"`
	DestinationServer    string            `json:"destinationServer,omitempty"`
	DestinationName      string            `json:"destinationName,omitempty"`
	DestinationNamespace string            `json:"destinationNamespace"`
	Source               any               `json:"source,omitempty"`
	Sources              any               `json:"sources,omitempty"`
	Annotations          map[string]string `json:"annotations,omitempty"`
	// Spec is the whole generated spec (templatePatch applied), as the controller would write it.
	Spec argov1alpha1.ApplicationSpec `json:"spec"`
	// IgnoreDifferencesError: the application controller cannot build the diff normalizer of spec.ignoreDifferences
	// (normalizers.NewIgnoreNormalizer: a JSON pointer or jq path expression it cannot parse).
	IgnoreDifferencesError string `json:"ignoreDifferencesError,omitempty"`
	// Step is the RollingSync step (1-based) the progressive-sync Manager assigned; 0 when it matches no step.
	Step int `json:"step"`
	// SyncFirstRound: the Manager lets this Application sync in the first round (its step's maxUpdate).
	SyncFirstRound bool `json:"syncFirstRound"`
	// ProgressiveStatus is the ApplicationSet's status.applicationStatus[].status after the first round.
	ProgressiveStatus string `json:"progressiveStatus,omitempty"`
}

// Result is the verdict on one ApplicationSet.
type Result struct {
	Source       string `json:"source"`
	Name         string `json:"name"`
	Error        string `json:"error,omitempty"`
	Reason       string `json:"reason,omitempty"`
	RollingSync  bool   `json:"rollingSync"`
	Applications []App  `json:"applications"`
	// Progression is the release simulation: the Manager driven reconcile after reconcile (RollingSync only).
	Progression *Progression `json:"progression,omitempty"`
	// IgnoreApplicationDifferencesError: the controller cannot use spec.ignoreApplicationDifferences
	// (utils.BuildIgnoreDiffConfig, then utils.SpecsEquivalent, which builds the normalizer: what every create/update of
	// the generated Applications and RollingSync's spec-change detection do).
	IgnoreApplicationDifferencesError string `json:"ignoreApplicationDifferencesError,omitempty"`
}

// statusSink is the Manager's Dependencies: it keeps what the Manager would persist on the ApplicationSet.
type statusSink struct {
	statuses []argov1alpha1.ApplicationSetApplicationStatus
}

func (s *statusSink) SetAppSetApplicationStatus(_ context.Context, _ *log.Entry, appset *argov1alpha1.ApplicationSet, st []argov1alpha1.ApplicationSetApplicationStatus) error {
	s.statuses = st
	appset.Status.ApplicationStatus = st
	return nil
}

func (s *statusSink) SetApplicationSetStatusCondition(_ context.Context, appset *argov1alpha1.ApplicationSet, c argov1alpha1.ApplicationSetCondition, _ bool) error {
	appset.Status.SetConditions([]argov1alpha1.ApplicationSetCondition{c}, map[argov1alpha1.ApplicationSetConditionType]bool{c.Type: true})
	return nil
}

func remarshal(in map[string]any, out any) error {
	data, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, out)
}

func render(source string, raw map[string]any, secrets []client.Object, sc Scenario) (res Result) {
	res = Result{Source: source, Applications: []App{}}
	defer func() {
		if p := recover(); p != nil {
			res.Error = fmt.Sprint("panic: ", p)
			if os.Getenv("CONFORMANCE_DEBUG") != "" {
				fmt.Fprintf(os.Stderr, "%s: %v\n%s\n", source, p, debug.Stack())
			}
		}
	}()
	var appset argov1alpha1.ApplicationSet
	if err := remarshal(raw, &appset); err != nil {
		res.Error = "decode: " + err.Error()
		return res
	}
	res.Name = appset.Name
	if appset.Namespace == "" {
		appset.Namespace = "argocd"
	}
	scheme := runtime.NewScheme()
	_ = corev1.AddToScheme(scheme)
	_ = argov1alpha1.AddToScheme(scheme)
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(secrets...).Build()

	terminal := map[string]generators.Generator{
		"List":     generators.NewListGenerator(),
		"Clusters": generators.NewClusterGenerator(c, appset.Namespace),
	}
	nested := map[string]generators.Generator{
		"List":     terminal["List"],
		"Clusters": terminal["Clusters"],
		"Matrix":   generators.NewMatrixGenerator(terminal),
		"Merge":    generators.NewMergeGenerator(terminal),
	}
	top := map[string]generators.Generator{
		"List":     terminal["List"],
		"Clusters": terminal["Clusters"],
		"Matrix":   generators.NewMatrixGenerator(nested),
		"Merge":    generators.NewMergeGenerator(nested),
	}
	logger := log.New()
	logger.SetOutput(io.Discard)
	logCtx := log.NewEntry(logger)
	diffConfig, diffErr := utils.BuildIgnoreDiffConfig(appset.Spec.IgnoreApplicationDifferences, normalizers.IgnoreNormalizerOpts{})
	if diffErr != nil {
		res.IgnoreApplicationDifferencesError = diffErr.Error()
	}
	apps, reason, err := template.GenerateApplications(logCtx, appset, top, &utils.Render{}, c)
	// The diff config builds its normalizer when it is used: on every create/update and in RollingSync's spec-change
	// detection (utils.SpecsEquivalent); use it once as the controller would.
	if diffConfig != nil && err == nil && len(apps) > 0 {
		if _, err := utils.SpecsEquivalent(diffConfig, apps[0].DeepCopy(), apps[0].DeepCopy()); err != nil {
			res.IgnoreApplicationDifferencesError = err.Error()
		}
	}
	if err != nil {
		res.Error, res.Reason = err.Error(), string(reason)
		return res
	}
	steps := map[string]int{}
	toSync := map[string]bool{}
	progress := map[string]string{}
	res.RollingSync = progressivesync.IsRollingSyncStrategy(&appset)
	if res.RollingSync {
		// First reconcile: every Application exists and is OutOfSync (a new revision to roll out). The controller
		// lists them from its informer cache in no specified order, but its Dependencies keep
		// status.applicationStatus sorted by name and the Manager promotes in that order (the release simulation
		// checks it with the controller's own Dependencies); this sink does not sort, so the Applications are given
		// in name order.
		sort.Slice(apps, func(i, j int) bool { return apps[i].Name < apps[j].Name })
		current := make([]argov1alpha1.Application, len(apps))
		for i, a := range apps {
			current[i] = *a.DeepCopy()
			current[i].Status.Sync.Status = argov1alpha1.SyncStatusCodeOutOfSync
			current[i].Status.Health.Status = "Healthy"
		}
		sink := &statusSink{}
		m := progressivesync.NewManager(c, c, sink)
		sync, err := m.PerformProgressiveSyncs(context.Background(), logCtx, appset, current, apps)
		if err != nil {
			res.Error = "progressive sync: " + err.Error()
			return res
		}
		for k, v := range sync {
			toSync[k] = v
		}
		for _, s := range sink.statuses {
			n, _ := strconv.Atoi(s.Step)
			steps[s.Application] = n
			progress[s.Application] = string(s.Status)
		}
		if progressivesync.RollingSyncStrategyEnabled(&appset) {
			desired := make([]argov1alpha1.Application, len(apps))
			for i, a := range apps {
				desired[i] = *a.DeepCopy()
			}
			pr := simulate(appset, desired, secrets, sc, logCtx)
			res.Progression = &pr
		}
	}
	for _, a := range apps {
		out := App{
			Name: a.Name, Namespace: a.Namespace, Labels: a.Labels, Project: a.Spec.Project,
			DestinationServer: a.Spec.Destination.Server, DestinationName: a.Spec.Destination.Name,
			DestinationNamespace: a.Spec.Destination.Namespace,
			Step:                 steps[a.Name], ProgressiveStatus: progress[a.Name],
			Annotations: a.Annotations, Spec: a.Spec,
		}
		if _, err := normalizers.NewIgnoreNormalizer(a.Spec.IgnoreDifferences, nil, normalizers.IgnoreNormalizerOpts{}); err != nil {
			out.IgnoreDifferencesError = err.Error()
		}
		if out.Labels == nil {
			out.Labels = map[string]string{}
		}
		if a.Spec.Source != nil {
			out.Source = a.Spec.Source
		}
		if len(a.Spec.Sources) > 0 {
			out.Sources = a.Spec.Sources
		}
		// The Manager marks the Applications it lets sync as Pending (status) after the first round.
		out.SyncFirstRound = res.RollingSync && progress[a.Name] == string(argov1alpha1.ProgressiveSyncPending)
		_ = toSync
		res.Applications = append(res.Applications, out)
	}
	sort.Slice(res.Applications, func(i, j int) bool { return res.Applications[i].Name < res.Applications[j].Name })
	return res
}

func main() {
	// The generators log through logrus's standard logger; the report is the output.
	log.SetOutput(io.Discard)
	batches, err := jsonl.ReadAll[batch](os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	results := []Result{}
	for _, b := range batches {
		var secrets []client.Object
		var appsets []map[string]any
		for _, o := range b.Objects {
			switch o["kind"] {
			case "Secret":
				var s corev1.Secret
				if err := remarshal(o, &s); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(2)
				}
				secrets = append(secrets, &s)
			case "ApplicationSet":
				appsets = append(appsets, o)
			}
		}
		for _, a := range appsets {
			results = append(results, render(b.Source, a, secrets, b.Scenario))
		}
	}
	if err := jsonl.WriteJSON(results); err != nil {
		os.Exit(2)
	}
}
