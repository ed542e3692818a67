package main

// The release simulation: Argo CD's progressive-sync Manager driven reconcile after reconcile, the way the
// ApplicationSet controller drives it (applicationset/controllers.ApplicationSetReconciler.Reconcile):
//
//  1. the controller reads the ApplicationSet (its status.applicationStatus as persisted by the last reconcile);
//  2. PerformProgressiveSyncs(appset, currentApplications, desiredApplications) updates each Application's
//     progressive status (Waiting → Pending → Progressing → Healthy) and promotes Waiting Applications to Pending
//     within maxUpdate, persisting the statuses through the Dependencies — here the controller's own
//     ApplicationSetReconciler.SetAppSetApplicationStatus / SetApplicationSetStatusCondition on a fake client;
//  3. SyncDesiredApplications(&appset as read in 1., appsToSync, desired) puts a sync operation on the Applications
//     that were Pending when the reconcile started.
//
// Between reconciles the simulation plays the application controller: an Application with a sync operation syncs
// (operation Succeeded, started after its Pending transition, sync status Synced) and then reports, reconcile after
// reconcile, the health the scenario gives it (Healthy by default; e.g. Suspended for a paused canary, Degraded for
// an aborted one). The simulation stops when a reconcile changes nothing and no health is still due to change.

import (
	"context"
	"sort"
	"time"

	"github.com/argoproj/argo-cd/gitops-engine/pkg/health"
	synccommon "github.com/argoproj/argo-cd/gitops-engine/pkg/sync/common"
	"github.com/argoproj/argo-cd/v3/applicationset/controllers"
	"github.com/argoproj/argo-cd/v3/applicationset/progressivesync"
	argov1alpha1 "github.com/argoproj/argo-cd/v3/pkg/apis/application/v1alpha1"
	log "github.com/sirupsen/logrus"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
)

// Scenario says how Applications behave after their sync.
type Scenario struct {
	// Health maps an Application to the health it reports at each reconcile after its sync; the last entry stays.
	Health map[string][]string `json:"health,omitempty"`
	// Default is the health sequence of every other Application (default ["Healthy"]).
	Default []string `json:"default,omitempty"`
	// InformerOrder is the order the Applications are handed to the Manager: "name" (default) or "reverse".
	InformerOrder string `json:"informerOrder,omitempty"`
	// MaxReconciles bounds the simulation (default 20 + 6 per Application).
	MaxReconciles int `json:"maxReconciles,omitempty"`
}

// Round is one reconcile in which the controller put a sync operation on Applications for the first time.
type Round struct {
	Reconcile    int      `json:"reconcile"`
	Applications []string `json:"applications"`
}

// Progression is the outcome of a release simulation.
type Progression struct {
	Reconciles int     `json:"reconciles"`
	Rounds     []Round `json:"rounds"`
	// Stalled: the last reconcile changed nothing and some Application never reached the progressive status Healthy.
	Stalled bool `json:"stalled"`
	// Final is each Application's status.applicationStatus[].status when the simulation stopped.
	Final map[string]string `json:"final"`
	// SyncedAt / HealthyAt: the reconcile that first put a sync operation on the Application / that first reported
	// its progressive status Healthy.
	SyncedAt  map[string]int `json:"syncedAt"`
	HealthyAt map[string]int `json:"healthyAt"`
	// Retriggered counts sync operations put again on an Application already synced in this release (the controller
	// triggers from the status it read at the start of a reconcile).
	Retriggered int    `json:"retriggered"`
	Error       string `json:"error,omitempty"`
}

type simApp struct {
	app      argov1alpha1.Application
	synced   bool
	healthIx int
	seq      []string
}

func simulate(appset argov1alpha1.ApplicationSet, desired []argov1alpha1.Application, secrets []client.Object, sc Scenario, logCtx *log.Entry) (p Progression) {
	p = Progression{Rounds: []Round{}, Final: map[string]string{}, SyncedAt: map[string]int{}, HealthyAt: map[string]int{}}
	scheme := runtime.NewScheme()
	_ = corev1.AddToScheme(scheme)
	_ = argov1alpha1.AddToScheme(scheme)
	stored := appset.DeepCopy()
	stored.Status = argov1alpha1.ApplicationSetStatus{}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(append([]client.Object{stored}, secrets...)...).
		WithStatusSubresource(&argov1alpha1.ApplicationSet{}).Build()
	// The controller's own Dependencies: it persists the statuses (sorted by Application name) and the conditions.
	deps := &controllers.ApplicationSetReconciler{Client: c}
	m := progressivesync.NewManager(c, c, deps)

	names := make([]string, len(desired))
	apps := map[string]*simApp{}
	for i, d := range desired {
		names[i] = d.Name
		a := *d.DeepCopy()
		// A new revision to roll out: every Application exists, OutOfSync at the new revision, Healthy on the old one.
		a.Status.Sync.Status = argov1alpha1.SyncStatusCodeOutOfSync
		a.Status.Sync.Revision = "new-revision"
		a.Status.Health.Status = "Healthy"
		seq := sc.Default
		if s, ok := sc.Health[d.Name]; ok {
			seq = s
		}
		if len(seq) == 0 {
			seq = []string{"Healthy"}
		}
		apps[d.Name] = &simApp{app: a, seq: seq}
	}
	sort.Strings(names)
	if sc.InformerOrder == "reverse" {
		sort.Sort(sort.Reverse(sort.StringSlice(names)))
	}
	limit := sc.MaxReconciles
	if limit <= 0 {
		limit = 20 + 6*len(desired)
	}
	ctx := context.Background()
	key := types.NamespacedName{Namespace: stored.Namespace, Name: stored.Name}
	for r := 1; r <= limit; r++ {
		p.Reconciles = r
		var read argov1alpha1.ApplicationSet
		if err := c.Get(ctx, key, &read); err != nil {
			p.Error = "get applicationset: " + err.Error()
			return p
		}
		before := statusOf(read)
		current := make([]argov1alpha1.Application, 0, len(names))
		for _, n := range names {
			current = append(current, *apps[n].app.DeepCopy())
		}
		want := make([]argov1alpha1.Application, len(desired))
		for i := range desired {
			want[i] = *desired[i].DeepCopy()
		}
		toSync, err := m.PerformProgressiveSyncs(ctx, logCtx, read, current, want)
		if err != nil {
			p.Error = "progressive sync: " + err.Error()
			return p
		}
		out := m.SyncDesiredApplications(logCtx, &read, toSync, want)
		changed := false
		var round []string
		var after argov1alpha1.ApplicationSet
		if err := c.Get(ctx, key, &after); err != nil {
			p.Error = "get applicationset: " + err.Error()
			return p
		}
		now := statusOf(after)
		for n, s := range now {
			if before[n] != s {
				changed = true
			}
			if s == string(argov1alpha1.ProgressiveSyncHealthy) {
				if _, ok := p.HealthyAt[n]; !ok {
					p.HealthyAt[n] = r
				}
			}
		}
		// The application controller: health moves on for the synced Applications, then the new syncs run.
		for _, n := range names {
			a := apps[n]
			if a.synced && a.healthIx < len(a.seq)-1 {
				a.healthIx++
				a.app.Status.Health.Status = healthCode(a.seq[a.healthIx])
				changed = true
			}
		}
		for _, o := range out {
			if o.Operation == nil {
				continue
			}
			a := apps[o.Name]
			if a.synced {
				p.Retriggered++
				continue
			}
			pending := pendingSince(after, o.Name)
			started := metav1.NewTime(pending.Add(time.Second))
			a.synced = true
			a.app.Status.OperationState = &argov1alpha1.OperationState{
				Operation: *o.Operation, Phase: synccommon.OperationSucceeded, StartedAt: started, FinishedAt: &started,
			}
			a.app.Status.ReconciledAt = &started
			a.app.Status.Sync.Status = argov1alpha1.SyncStatusCodeSynced
			a.app.Status.Health.Status = healthCode(a.seq[0])
			p.SyncedAt[o.Name] = r
			round = append(round, o.Name)
			changed = true
		}
		if len(round) > 0 {
			sort.Strings(round)
			p.Rounds = append(p.Rounds, Round{Reconcile: r, Applications: round})
		}
		if !changed {
			break
		}
	}
	var last argov1alpha1.ApplicationSet
	if err := c.Get(ctx, key, &last); err != nil {
		p.Error = "get applicationset: " + err.Error()
		return p
	}
	p.Final = statusOf(last)
	for _, s := range last.Status.ApplicationStatus {
		// Applications no step selects (step -1) are never synced by the controller; they do not make a stall.
		if s.Step != "-1" && s.Status != argov1alpha1.ProgressiveSyncHealthy {
			p.Stalled = true
		}
	}
	return p
}

func statusOf(a argov1alpha1.ApplicationSet) map[string]string {
	out := map[string]string{}
	for _, s := range a.Status.ApplicationStatus {
		out[s.Application] = string(s.Status)
	}
	return out
}

// pendingSince is the time the Manager moved the Application to Pending (as persisted, whole seconds).
func pendingSince(a argov1alpha1.ApplicationSet, name string) time.Time {
	for _, s := range a.Status.ApplicationStatus {
		if s.Application == name && s.LastTransitionTime != nil {
			return s.LastTransitionTime.Time
		}
	}
	return time.Now()
}

func healthCode(s string) health.HealthStatusCode {
	return health.HealthStatusCode(s)
}
