// Package deploy holds no code: its directory holds the files that run a grid
// on a cluster, and its tests check them.
//
//   - k8s-indexed-job.yaml: a Kubernetes Indexed Job, one pod per shard
//     (sweep run --shard $(JOB_COMPLETION_INDEX)/N), with the merge step in a
//     comment.
//   - slurm-array.sbatch: a Slurm job array, one task per shard (the shard
//     comes from SLURM_ARRAY_TASK_ID).
//   - slurm-merge.sbatch: the merge step (sweep merge), run after the array.
//   - slurm_test.sh: starts a real one-node Slurm cluster, runs the two
//     scripts on it and compares the merged tables with a single-process run.
//
// README.md explains how to run, resume and merge a sharded grid, and how to
// try it with local processes.
package deploy
