// Command rollouts-validate runs Argo Rollouts' own validation (pkg/apis/rollouts/validation of the controller
// module) on every Rollout of the given batches: ValidateRollout on the Rollout as written, again after its
// workloadRef is resolved against a Deployment of the same batch (as the controller does before reconciling), and
// ValidateRolloutReferencedResources with the Services, AnalysisTemplates, ClusterAnalysisTemplates, Ingresses and
// Istio VirtualServices it names, looked up in the same batch; and every (Cluster)AnalysisTemplate of the batches on
// its own, as the AnalysisRun controller checks a run of it (templates.go). It prints one JSON report on standard
// output.
//
// Usage: rollouts-validate [batches.ndjson ...]   (no file: standard input)
package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/v1alpha1"
	"github.com/argoproj/argo-rollouts/pkg/apis/rollouts/validation"
	analysisutil "github.com/argoproj/argo-rollouts/utils/analysis"
	ingressutil "github.com/argoproj/argo-rollouts/utils/ingress"
	istioutil "github.com/argoproj/argo-rollouts/utils/istio"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cdk8s-progressive-delivery/cdk8s-progressive-delivery/conformance/rollouts/internal/input"
)

// Problem is one error the controller's validation returned.
type Problem struct {
	// Stage: "spec" (ValidateRollout as written), "resolved-spec" (after workloadRef resolution),
	// "references" (ValidateRolloutReferencedResources), "lookup" (a referenced object the controller would not
	// find, or a traffic-routing config it rejects before looking up), "decode" (not a v1alpha1 object).
	Stage   string `json:"stage"`
	Type    string `json:"type,omitempty"`
	Field   string `json:"field,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Message string `json:"message"`
}

// Result is the verdict on one Rollout.
type Result struct {
	Source           string    `json:"source"`
	Namespace        string    `json:"namespace"`
	Name             string    `json:"name"`
	WorkloadResolved bool      `json:"workloadResolved"`
	Referenced       Counts    `json:"referenced"`
	Errors           []Problem `json:"errors"`
	// Unresolved: references not in the batch (see resolver.unresolved).
	Unresolved []Problem `json:"unresolved"`
}

// Counts of referenced objects handed to ValidateRolloutReferencedResources.
type Counts struct {
	Services          int `json:"services"`
	AnalysisTemplates int `json:"analysisTemplates"`
	ClusterTemplates  int `json:"clusterAnalysisTemplates"`
	Ingresses         int `json:"ingresses"`
	VirtualServices   int `json:"virtualServices"`
}

// Report is the command's output.
type Report struct {
	Batches          int      `json:"batches"`
	Rollouts         int      `json:"rollouts"`
	RolloutsInvalid  int      `json:"rolloutsWithErrors"`
	WorkloadResolved int      `json:"workloadRefsResolved"`
	Referenced       Counts   `json:"referenced"`
	Unresolved       int      `json:"unresolvedReferences"`
	Results          []Result `json:"results"`
	// Templates: every (Cluster)AnalysisTemplate of the batches, checked on its own as the AnalysisRun controller
	// checks a run of it (templates.go).
	Templates           int              `json:"templates"`
	TemplatesWithErrors int              `json:"templatesWithErrors"`
	WebRequests         int              `json:"webRequests"`
	TemplateResults     []TemplateResult `json:"templateResults"`
}

func ns(o unstructured.Unstructured) string {
	if n := o.GetNamespace(); n != "" {
		return n
	}
	return "default"
}

// index finds the objects of one batch by kind, namespace and name (the controller's listers, for one batch).
type index map[string]unstructured.Unstructured

func key(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

func newIndex(objs []unstructured.Unstructured) index {
	idx := index{}
	for _, o := range objs {
		n := ns(o)
		if o.GetKind() == "ClusterAnalysisTemplate" {
			n = ""
		}
		idx[key(o.GetKind(), n, o.GetName())] = o
	}
	return idx
}

func (i index) get(kind, namespace, name string) (unstructured.Unstructured, bool) {
	o, ok := i[key(kind, namespace, name)]
	return o, ok
}

func fieldErrs(stage string, errs field.ErrorList) []Problem {
	out := make([]Problem, 0, len(errs))
	for _, e := range errs {
		out = append(out, Problem{Stage: stage, Type: string(e.Type), Field: e.Field, Detail: e.Detail, Message: e.Error()})
	}
	return out
}

func lookupErr(err error) Problem {
	if fe, ok := err.(*field.Error); ok {
		return Problem{Stage: "lookup", Type: string(fe.Type), Field: fe.Field, Detail: fe.Detail, Message: fe.Error()}
	}
	return Problem{Stage: "lookup", Message: err.Error()}
}

type resolver struct {
	idx       index
	namespace string
	// unresolved collects the references not found in the batch: the controller would look them up in the cluster,
	// where they may exist (e.g. a template referenced by name, a Service created elsewhere). Not an error here; the
	// validation that needs them is skipped and the miss is reported.
	unresolved *[]Problem
}

// notFound is a reference to an object that is not in the batch.
type notFound struct{ err *field.Error }

func (n notFound) Error() string { return n.err.Error() }

func (r resolver) miss(err error) bool {
	if nf, ok := err.(notFound); ok {
		*r.unresolved = append(*r.unresolved, Problem{Stage: "unresolved", Type: string(nf.err.Type), Field: nf.err.Field, Detail: nf.err.Detail, Message: nf.err.Error()})
		return true
	}
	return false
}

func (r resolver) service(name string, t validation.ServiceType) (*validation.ServiceWithType, error) {
	if name == "" {
		return nil, nil
	}
	o, ok := r.idx.get("Service", r.namespace, name)
	if !ok {
		return nil, notFound{field.Invalid(validation.GetServiceWithTypeFieldPath(t), name, fmt.Sprintf("services %q not found", name))}
	}
	var svc corev1.Service
	if err := input.Remarshal(o.Object, &svc); err != nil {
		return nil, err
	}
	return &validation.ServiceWithType{Service: &svc, Type: t}, nil
}

func (r resolver) templates(refs []v1alpha1.AnalysisTemplateRef, fld *field.Path) ([]*v1alpha1.AnalysisTemplate, []*v1alpha1.ClusterAnalysisTemplate, error) {
	var ts []*v1alpha1.AnalysisTemplate
	var cts []*v1alpha1.ClusterAnalysisTemplate
	for _, ref := range refs {
		var nested []v1alpha1.AnalysisTemplateRef
		if ref.IsClusterScope() {
			o, ok := r.idx.get("ClusterAnalysisTemplate", "", ref.TemplateName)
			if !ok {
				return nil, nil, notFound{field.Invalid(fld, ref.TemplateName, fmt.Sprintf("ClusterAnalysisTemplate '%s' not found", ref.TemplateName))}
			}
			var t v1alpha1.ClusterAnalysisTemplate
			if err := input.Remarshal(o.Object, &t); err != nil {
				return nil, nil, err
			}
			cts = append(cts, &t)
			nested = t.Spec.Templates
		} else {
			o, ok := r.idx.get("AnalysisTemplate", r.namespace, ref.TemplateName)
			if !ok {
				return nil, nil, notFound{field.Invalid(fld, ref.TemplateName, fmt.Sprintf("AnalysisTemplate '%s' not found", ref.TemplateName))}
			}
			var t v1alpha1.AnalysisTemplate
			if err := input.Remarshal(o.Object, &t); err != nil {
				return nil, nil, err
			}
			ts = append(ts, &t)
			nested = t.Spec.Templates
		}
		if len(nested) > 0 {
			its, icts, err := r.templates(nested, field.NewPath("spec", "templates"))
			if err != nil {
				return nil, nil, err
			}
			ts = append(ts, its...)
			cts = append(cts, icts...)
		}
	}
	uts, ucts := analysisutil.FilterUniqueTemplates(ts, cts)
	return uts, ucts, nil
}

func (r resolver) analysis(a *v1alpha1.RolloutAnalysis, t validation.AnalysisTemplateType, step int) (*validation.AnalysisTemplatesWithType, error) {
	ts, cts, err := r.templates(a.Templates, validation.GetAnalysisTemplateWithTypeFieldPath(t, step))
	if err != nil {
		return nil, err
	}
	return &validation.AnalysisTemplatesWithType{AnalysisTemplates: ts, ClusterAnalysisTemplates: cts, TemplateType: t, CanaryStepIndex: step, Args: a.Args}, nil
}

func (r resolver) ingress(name string, routerField string, childField string, value any) (*ingressutil.Ingress, error) {
	if o, ok := r.idx.get("Ingress", r.namespace, name); ok {
		switch o.GetAPIVersion() {
		case "extensions/v1beta1":
			var ing extensionsv1beta1.Ingress
			if err := input.Remarshal(o.Object, &ing); err != nil {
				return nil, err
			}
			return ingressutil.NewLegacyIngress(&ing), nil
		default:
			var ing networkingv1.Ingress
			if err := input.Remarshal(o.Object, &ing); err != nil {
				return nil, err
			}
			return ingressutil.NewIngress(&ing), nil
		}
	}
	fld := field.NewPath("spec", "strategy", "canary", "trafficRouting").Child(routerField, childField)
	return nil, notFound{field.Invalid(fld, value, fmt.Sprintf("ingress.extensions %q not found", name))}
}

// references collects what the controller hands to ValidateRolloutReferencedResources, in the controller's order.
func (r resolver) references(ro *v1alpha1.Rollout) (*validation.ReferencedResources, error) {
	refs := validation.ReferencedResources{}
	add := func(s *validation.ServiceWithType, err error) error {
		if err != nil && r.miss(err) {
			return nil
		}
		if err != nil {
			return err
		}
		if s != nil {
			refs.ServiceWithType = append(refs.ServiceWithType, *s)
		}
		return nil
	}
	addA := func(a *validation.AnalysisTemplatesWithType, err error) error {
		if err != nil && r.miss(err) {
			return nil
		}
		if err != nil {
			return err
		}
		refs.AnalysisTemplatesWithType = append(refs.AnalysisTemplatesWithType, *a)
		return nil
	}
	if bg := ro.Spec.Strategy.BlueGreen; bg != nil {
		for _, err := range []error{
			add(r.service(bg.ActiveService, validation.ActiveService)),
			add(r.service(bg.PreviewService, validation.PreviewService)),
		} {
			if err != nil {
				return nil, err
			}
		}
		if bg.PrePromotionAnalysis != nil {
			if err := addA(r.analysis(bg.PrePromotionAnalysis, validation.PrePromotionAnalysis, 0)); err != nil {
				return nil, err
			}
		}
		if bg.PostPromotionAnalysis != nil {
			if err := addA(r.analysis(bg.PostPromotionAnalysis, validation.PostPromotionAnalysis, 0)); err != nil {
				return nil, err
			}
		}
	} else if c := ro.Spec.Strategy.Canary; c != nil {
		if err := add(r.service(c.StableService, validation.StableService)); err != nil {
			return nil, err
		}
		if err := add(r.service(c.CanaryService, validation.CanaryService)); err != nil {
			return nil, err
		}
		if c.PingPong != nil {
			if err := add(r.service(c.PingPong.PingService, validation.PingService)); err != nil {
				return nil, err
			}
			if err := add(r.service(c.PingPong.PongService, validation.PongService)); err != nil {
				return nil, err
			}
		}
		for i, s := range c.Steps {
			if s.Analysis != nil {
				if err := addA(r.analysis(s.Analysis, validation.InlineAnalysis, i)); err != nil {
					return nil, err
				}
			}
		}
		if c.Analysis != nil {
			if err := addA(r.analysis(&c.Analysis.RolloutAnalysis, validation.BackgroundAnalysis, 0)); err != nil {
				return nil, err
			}
		}
	}
	// The controller checks the traffic-routing configs before it looks up what they name.
	for _, check := range []func(*v1alpha1.Rollout) error{
		validation.ValidateRolloutNginxIngressesConfig,
		validation.ValidateRolloutAlbIngressesConfig,
	} {
		if err := check(ro); err != nil {
			return nil, err
		}
	}
	if c := ro.Spec.Strategy.Canary; c != nil && c.TrafficRouting != nil {
		tr := c.TrafficRouting
		var names []string
		var router, child string
		var value any
		if tr.ALB != nil {
			router, child, value = "alb", "ingress", tr.ALB.Ingress
			names = []string{tr.ALB.Ingress}
			if tr.ALB.Ingresses != nil {
				child, value, names = "ingresses", tr.ALB.Ingresses, tr.ALB.Ingresses
			}
		} else if tr.Nginx != nil {
			router, child, value = "nginx", "stableIngress", tr.Nginx.StableIngress
			names = []string{tr.Nginx.StableIngress}
			if tr.Nginx.StableIngresses != nil {
				child, value, names = "StableIngresses", tr.Nginx.StableIngresses, tr.Nginx.StableIngresses
			}
		}
		for _, n := range names {
			ing, err := r.ingress(n, router, child, value)
			if err != nil && r.miss(err) {
				continue
			}
			if err != nil {
				return nil, err
			}
			refs.Ingresses = append(refs.Ingresses, *ing)
		}
	}
	if err := validation.ValidateRolloutVirtualServicesConfig(ro); err != nil {
		return nil, err
	}
	if c := ro.Spec.Strategy.Canary; c != nil && c.TrafficRouting != nil && c.TrafficRouting.Istio != nil {
		is := c.TrafficRouting.Istio
		vss := is.VirtualServices
		if is.VirtualService != nil {
			vss = []v1alpha1.IstioVirtualService{*is.VirtualService}
		}
		for _, vs := range vss {
			vsNamespace, name := istioutil.GetVirtualServiceNamespaceName(vs.Name)
			if vsNamespace == "" {
				vsNamespace = r.namespace
			}
			o, ok := r.idx.get("VirtualService", vsNamespace, name)
			if !ok {
				fld := field.NewPath("spec", "strategy", "canary", "trafficRouting", "istio", "virtualService", "name")
				if r.miss(notFound{field.Invalid(fld, vs.Name, fmt.Sprintf("virtualservices.networking.istio.io %q not found", name))}) {
					continue
				}
			}
			refs.VirtualServices = append(refs.VirtualServices, o)
		}
	}
	return &refs, nil
}

func validate(source string, idx index, o unstructured.Unstructured) (res Result) {
	res = Result{Source: source, Namespace: ns(o), Name: o.GetName(), Errors: []Problem{}, Unresolved: []Problem{}}
	defer func() {
		if p := recover(); p != nil {
			res.Errors = append(res.Errors, Problem{Stage: "panic", Message: fmt.Sprint(p)})
		}
	}()
	var ro v1alpha1.Rollout
	if err := input.Remarshal(o.Object, &ro); err != nil {
		res.Errors = append(res.Errors, Problem{Stage: "decode", Message: err.Error()})
		return res
	}
	ro.Namespace = res.Namespace
	res.Errors = append(res.Errors, fieldErrs("spec", validation.ValidateRollout(&ro))...)
	r := resolver{idx: idx, namespace: res.Namespace, unresolved: &res.Unresolved}

	if ref := ro.Spec.WorkloadRef; ref != nil {
		d, ok := idx.get(ref.Kind, res.Namespace, ref.Name)
		if !ok {
			res.Unresolved = append(res.Unresolved, Problem{Stage: "unresolved", Field: "spec.workloadRef", Message: fmt.Sprintf("%s %q not found", ref.Kind, ref.Name)})
		} else {
			resolved := ro.DeepCopy()
			if tpl, found, _ := unstructured.NestedMap(d.Object, "spec", "template"); found {
				var t corev1.PodTemplateSpec
				if err := input.Remarshal(tpl, &t); err != nil {
					res.Errors = append(res.Errors, Problem{Stage: "decode", Message: err.Error()})
					return res
				}
				resolved.Spec.SetResolvedTemplate(t)
			}
			if resolved.Spec.Selector == nil {
				if sel, found, _ := unstructured.NestedMap(d.Object, "spec", "selector"); found {
					var s metav1.LabelSelector
					if err := input.Remarshal(sel, &s); err != nil {
						res.Errors = append(res.Errors, Problem{Stage: "decode", Message: err.Error()})
						return res
					}
					resolved.Spec.SetResolvedSelector(&s)
				}
			}
			res.WorkloadResolved = true
			res.Errors = append(res.Errors, fieldErrs("resolved-spec", validation.ValidateRollout(resolved))...)
			ro = *resolved
		}
	}

	refs, err := r.references(&ro)
	if err != nil {
		res.Errors = append(res.Errors, lookupErr(err))
		return res
	}
	res.Referenced = Counts{Services: len(refs.ServiceWithType), Ingresses: len(refs.Ingresses), VirtualServices: len(refs.VirtualServices)}
	for _, a := range refs.AnalysisTemplatesWithType {
		res.Referenced.AnalysisTemplates += len(a.AnalysisTemplates)
		res.Referenced.ClusterTemplates += len(a.ClusterAnalysisTemplates)
	}
	res.Errors = append(res.Errors, fieldErrs("references", validation.ValidateRolloutReferencedResources(&ro, *refs))...)
	return res
}

func main() {
	batches, err := input.ReadAll(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	rep := Report{Batches: len(batches), Results: []Result{}, TemplateResults: []TemplateResult{}}
	for _, b := range batches {
		for _, t := range validateTemplates(b) {
			rep.Templates++
			if len(t.Errors) > 0 {
				rep.TemplatesWithErrors++
			}
			rep.WebRequests += len(t.Requests)
			rep.TemplateResults = append(rep.TemplateResults, t)
		}
		objs := b.Unstructured()
		idx := newIndex(objs)
		for _, o := range objs {
			if o.GetKind() != "Rollout" || o.GroupVersionKind().Group != "argoproj.io" {
				continue
			}
			res := validate(b.Source, idx, o)
			rep.Rollouts++
			if len(res.Errors) > 0 {
				rep.RolloutsInvalid++
			}
			if res.WorkloadResolved {
				rep.WorkloadResolved++
			}
			rep.Unresolved += len(res.Unresolved)
			rep.Referenced.Services += res.Referenced.Services
			rep.Referenced.AnalysisTemplates += res.Referenced.AnalysisTemplates
			rep.Referenced.ClusterTemplates += res.Referenced.ClusterTemplates
			rep.Referenced.Ingresses += res.Referenced.Ingresses
			rep.Referenced.VirtualServices += res.Referenced.VirtualServices
			rep.Results = append(rep.Results, res)
		}
	}
	sort.SliceStable(rep.Results, func(i, j int) bool { return rep.Results[i].Source < rep.Results[j].Source })
	if err := input.WriteJSON(rep); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
