package deploy_test

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// job is the part of a batch/v1 Job the checks read.
type job struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode       string `yaml:"completionMode"`
		Completions          *int   `yaml:"completions"`
		Parallelism          *int   `yaml:"parallelism"`
		BackoffLimitPerIndex *int   `yaml:"backoffLimitPerIndex"`
		Template             struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Image      string   `yaml:"image"`
					WorkingDir string   `yaml:"workingDir"`
					Command    []string `yaml:"command"`
					Args       []string `yaml:"args"`
					Env        []struct {
						Name      string `yaml:"name"`
						ValueFrom struct {
							FieldRef struct {
								FieldPath string `yaml:"fieldPath"`
							} `yaml:"fieldRef"`
						} `yaml:"valueFrom"`
					} `yaml:"env"`
					Resources struct {
						Requests map[string]string `yaml:"requests"`
					} `yaml:"resources"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim *struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

func TestIndexedJob(t *testing.T) {
	data, err := os.ReadFile("k8s-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var j job
	if err := yaml.Unmarshal(data, &j); err != nil {
		t.Fatalf("k8s-indexed-job.yaml does not parse: %v", err)
	}
	if j.APIVersion != "batch/v1" || j.Kind != "Job" || j.Spec.CompletionMode != "Indexed" {
		t.Fatalf("apiVersion %q kind %q completionMode %q, want batch/v1 Job Indexed", j.APIVersion, j.Kind, j.Spec.CompletionMode)
	}
	if j.Spec.Completions == nil || j.Spec.Parallelism == nil || j.Spec.BackoffLimitPerIndex == nil {
		t.Fatal("completions, parallelism and backoffLimitPerIndex must be set")
	}
	n := *j.Spec.Completions
	if *j.Spec.Parallelism < 1 || *j.Spec.Parallelism > n {
		t.Errorf("parallelism %d, want 1..completions (%d)", *j.Spec.Parallelism, n)
	}
	pod := j.Spec.Template.Spec
	if pod.RestartPolicy != "Never" {
		t.Errorf("restartPolicy %q: backoffLimitPerIndex needs Never", pod.RestartPolicy)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(pod.Containers))
	}
	c := pod.Containers[0]
	if c.Image == "" {
		t.Error("no image")
	}
	argv := append(append([]string(nil), c.Command...), c.Args...)
	// The shard count in --shard must be the Job's completions, and the grid
	// file comes last (flags before positional arguments).
	wantShard := fmt.Sprintf("$(JOB_COMPLETION_INDEX)/%d", n)
	if len(argv) < 3 || argv[0] != "sweep" || argv[1] != "run" || !strings.HasSuffix(argv[len(argv)-1], ".yaml") {
		t.Errorf("command %q: want sweep run [flags] GRID.yaml", argv)
	}
	if i := index(argv, "--shard"); i < 0 || i+1 >= len(argv) || argv[i+1] != wantShard {
		t.Errorf("command %q: want --shard %s", argv, wantShard)
	}
	// -j matches the CPU request.
	if i := index(argv, "-j"); i < 0 || i+1 >= len(argv) || argv[i+1] != c.Resources.Requests["cpu"] {
		t.Errorf("command %q: -j should equal the CPU request %q", argv, c.Resources.Requests["cpu"])
	}
	envOK := false
	for _, e := range c.Env {
		envOK = envOK || e.Name == "JOB_COMPLETION_INDEX" &&
			e.ValueFrom.FieldRef.FieldPath == "metadata.annotations['batch.kubernetes.io/job-completion-index']"
	}
	if !envOK {
		t.Error("JOB_COMPLETION_INDEX is not declared from the completion-index annotation")
	}
	// The volume mounted at /data is a PersistentVolumeClaim.
	mounted := ""
	for _, m := range c.VolumeMounts {
		if m.MountPath == "/data" {
			mounted = m.Name
		}
	}
	pvc := false
	for _, v := range pod.Volumes {
		pvc = pvc || v.Name == mounted && v.PersistentVolumeClaim != nil && v.PersistentVolumeClaim.ClaimName != ""
	}
	if mounted == "" || !pvc {
		t.Errorf("no PersistentVolumeClaim mounted at /data (mount %q)", mounted)
	}
	// The merge step is documented (commented out) in the same file.
	if !strings.Contains(string(data), "sweep merge --out runs/results.duckdb runs/parts/"+j.Metadata.Name[len("sweep-"):]) {
		t.Error("the merge step for the grid is not shown")
	}
}

// TestSbatch checks the Slurm scripts: a bash shebang, #SBATCH directives
// before the first command (sbatch stops reading them there), the array, and
// the sweep command lines. It also asks bash to parse them when bash exists.
func TestSbatch(t *testing.T) {
	for _, tt := range []struct {
		file  string
		wants []string // directives or lines that must appear
	}{
		{"slurm-array.sbatch", []string{"#SBATCH --array=0-15", "#SBATCH --cpus-per-task=", "#SBATCH --mem=", "#SBATCH --time=",
			"#SBATCH --output=logs/%x-%A_%a.out", `sweep run -j "$SLURM_CPUS_PER_TASK" --progress lines grid.yaml`,
			"sbatch --dependency=afterok:$jobid"}},
		{"slurm-merge.sbatch", []string{"#SBATCH --time=", `sweep merge --out runs/results.duckdb "runs/parts/$GRID_NAME"`}},
	} {
		data, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if !strings.HasPrefix(text, "#!/bin/bash\n") {
			t.Errorf("%s does not start with #!/bin/bash", tt.file)
		}
		for _, w := range tt.wants {
			if !strings.Contains(text, w) {
				t.Errorf("%s lacks %q", tt.file, w)
			}
		}
		if tt.file == "slurm-array.sbatch" && !strings.Contains(text, "--array") {
			t.Errorf("%s has no --array", tt.file)
		}
		seenCommand := false
		for i, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			switch {
			case strings.HasPrefix(line, "#SBATCH") && seenCommand:
				t.Errorf("%s:%d: #SBATCH after the first command is ignored by sbatch", tt.file, i+1)
			case line != "" && !strings.HasPrefix(line, "#"):
				seenCommand = true
			}
		}
		if bash, err := exec.LookPath("bash"); err == nil {
			if out, err := exec.Command(bash, "-n", tt.file).CombinedOutput(); err != nil {
				t.Errorf("bash -n %s: %v\n%s", tt.file, err, out)
			}
		}
	}
}

// TestFlagsFirst checks that every sweep command line in the README and the
// scripts puts its flags before its positional arguments, as sweep's flag
// parsing requires.
func TestFlagsFirst(t *testing.T) {
	cmd := regexp.MustCompile("sweep (run|merge) [^\n'<>|;&`()]*")
	for _, file := range []string{"README.md", "k8s-indexed-job.yaml", "slurm-array.sbatch", "slurm-merge.sbatch", "slurm_test.sh"} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range cmd.FindAllString(string(data), -1) {
			fields := strings.Fields(strings.TrimRight(m, ".:,\" "))
			positional := false
			for i := 2; i < len(fields); i++ {
				f := fields[i]
				switch {
				case f == "-": // stdin, or a minus sign in prose
					positional = true
				case strings.HasPrefix(f, "-") && positional:
					t.Errorf("%s: %q: flag %s after a positional argument", file, m, f)
				case strings.HasPrefix(f, "-"):
					if !strings.Contains(f, "=") && i+1 < len(fields) && takesValue(f) {
						i++
					}
				default:
					positional = true
				}
			}
		}
	}
}

// takesValue reports whether a sweep run/merge flag takes a value.
func takesValue(flag string) bool {
	switch strings.TrimLeft(flag, "-") {
	case "force", "no-cache", "q", "h", "help":
		return false
	}
	return true
}

func index(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// TestSlurmTestScript checks what can be checked of slurm_test.sh without a
// cluster (.ci/run runs it for real): it is executable, bash parses it, it
// submits this directory's two scripts themselves, the merge after the array,
// and it cleans up on exit.
func TestSlurmTestScript(t *testing.T) {
	const file = "slurm_test.sh"
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&0o111 == 0 {
		t.Errorf("%s is not executable (%v)", file, fi.Mode())
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, w := range []string{`"$here/slurm-array.sbatch"`, `"$here/slurm-merge.sbatch"`,
		`--dependency=afterok:"$array"`, "trap cleanup EXIT", "SWEEP_SLURM_TIMEOUT", "SKIPPED"} {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", file, w)
		}
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		if out, err := exec.Command(bash, "-n", file).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", file, err, out)
		}
	}
}

// TestMergeJobInComment parses the merge Job shown in a comment at the end of
// k8s-indexed-job.yaml (users paste it into kubectl apply) and checks that it
// is a batch/v1 Job running sweep merge in /data on the Indexed Job's claim
// and image. kubectl cannot check these manifests offline: even
// "kubectl apply --dry-run=client" asks an API server for the schema.
func TestMergeJobInComment(t *testing.T) {
	data, err := os.ReadFile("k8s-indexed-job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var main job
	if err := yaml.Unmarshal(data, &main); err != nil {
		t.Fatal(err)
	}
	var doc []string
	in := false
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case strings.HasSuffix(line, "kubectl apply -f - <<'EOF'"):
			in = true
		case in && strings.TrimSpace(strings.TrimPrefix(line, "#")) == "EOF":
			in = false
		case in:
			doc = append(doc, strings.TrimPrefix(line, "#   "))
		}
	}
	if len(doc) == 0 {
		t.Fatal("no merge Job (kubectl apply -f - <<'EOF' ... EOF) in the comments")
	}
	var m job
	if err := yaml.Unmarshal([]byte(strings.Join(doc, "\n")), &m); err != nil {
		t.Fatalf("the merge Job does not parse: %v\n%s", err, strings.Join(doc, "\n"))
	}
	if m.APIVersion != "batch/v1" || m.Kind != "Job" || m.Metadata.Name == "" {
		t.Errorf("merge: apiVersion %q kind %q name %q, want a named batch/v1 Job", m.APIVersion, m.Kind, m.Metadata.Name)
	}
	pod := m.Spec.Template.Spec
	if pod.RestartPolicy != "Never" && pod.RestartPolicy != "OnFailure" {
		t.Errorf("merge: restartPolicy %q, a Job needs Never or OnFailure", pod.RestartPolicy)
	}
	if len(pod.Containers) != 1 {
		t.Fatalf("merge: %d containers, want 1", len(pod.Containers))
	}
	c, mc := pod.Containers[0], main.Spec.Template.Spec.Containers[0]
	want := []string{"sweep", "merge", "--out", "runs/results.duckdb", "runs/parts/" + strings.TrimPrefix(main.Metadata.Name, "sweep-")}
	if strings.Join(c.Command, " ") != strings.Join(want, " ") {
		t.Errorf("merge: command %q, want %q", c.Command, want)
	}
	if c.Image != mc.Image || c.WorkingDir != "/data" {
		t.Errorf("merge: image %q in %q, want the shards' %q in /data", c.Image, c.WorkingDir, mc.Image)
	}
	claim := func(j job) string {
		for _, v := range j.Spec.Template.Spec.Volumes {
			for _, vm := range j.Spec.Template.Spec.Containers[0].VolumeMounts {
				if vm.MountPath == "/data" && vm.Name == v.Name && v.PersistentVolumeClaim != nil {
					return v.PersistentVolumeClaim.ClaimName
				}
			}
		}
		return ""
	}
	if claim(m) == "" || claim(m) != claim(main) {
		t.Errorf("merge: claim %q at /data, want the shards' %q", claim(m), claim(main))
	}
}
