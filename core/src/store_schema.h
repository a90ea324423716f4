#pragma once
// Private: the workspace schema as numbered migrations; migration i brings user_version to i + 1.
// Never edit a shipped migration: append a new one.
#include <array>

namespace uae::detail {

inline constexpr std::array<const char*, 7> kMigrations = {
    // 1: the first schema.
    R"sql(
CREATE TABLE datasets(
  id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, path TEXT, papers INTEGER, questions INTEGER,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE models(
  id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, kind TEXT NOT NULL, path TEXT,
  added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')));
CREATE TABLE runs(
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, method TEXT NOT NULL, split TEXT,
  status TEXT NOT NULL, config TEXT NOT NULL, app_version TEXT, device TEXT,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')), ended_at TEXT, error TEXT);
CREATE TABLE metrics(
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  name TEXT NOT NULL, value REAL NOT NULL);
CREATE INDEX metrics_by_run ON metrics(run, name, step);
CREATE TABLE question_results(
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, question TEXT NOT NULL,
  method TEXT NOT NULL, ranking TEXT NOT NULL, scores TEXT NOT NULL, gold TEXT NOT NULL,
  latency_ms REAL, metrics TEXT NOT NULL, PRIMARY KEY(run, question));
)sql",
    // 2: who runs a run, so a run whose process died can be told from one still going.
    R"sql(
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN host TEXT;
CREATE INDEX runs_by_method ON runs(method, split, status);
)sql",
    // 3: utility labels. A question's labels and its labeled_questions row are written in one
    // transaction, so an interrupted labeling job never leaves half a question behind.
    R"sql(
CREATE TABLE labels(
  question TEXT NOT NULL, paragraph INTEGER NOT NULL, scorer TEXT NOT NULL,
  prompt_version TEXT NOT NULL, split TEXT NOT NULL, run INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  utility REAL NOT NULL, nll_with REAL, nll_without REAL,
  PRIMARY KEY(question, paragraph, scorer, prompt_version));
CREATE TABLE labeled_questions(
  question TEXT NOT NULL, scorer TEXT NOT NULL, prompt_version TEXT NOT NULL, split TEXT NOT NULL,
  candidates INTEGER NOT NULL, run INTEGER REFERENCES runs(id) ON DELETE SET NULL,
  PRIMARY KEY(question, scorer, prompt_version));
)sql",
    // 4: answers read from a retrieval run's top paragraphs, with their Answer-F1.
    R"sql(
CREATE TABLE answers(
  run INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, eval_run INTEGER NOT NULL,
  question TEXT NOT NULL, reader TEXT NOT NULL, answer TEXT NOT NULL, f1 REAL NOT NULL,
  PRIMARY KEY(run, question));
CREATE INDEX answers_by_eval_run ON answers(eval_run, run);
)sql",
    // 5: the query path's latency per question (Ranking::queryLatencyMs), apart from latency_ms,
    // which now includes any pool encoding done for the question. NULL in older runs.
    R"sql(
ALTER TABLE question_results ADD COLUMN query_latency_ms REAL;
)sql",
    // 6: what a question's labels were computed on (labelSourceHash: the paper's paragraphs, the
    // question, its answers), so labels of text that changed since are relabelled, never trained
    // on. NULL in older workspaces.
    R"sql(
ALTER TABLE labeled_questions ADD COLUMN source_hash TEXT;
)sql",
    // 7: merged shards (uae merge). A workspace gets an id of its own; a run copied in from
    // another workspace keeps where it came from ("<workspace id>/<run id>" there, and the file
    // as named at merge time), so merging again finds it instead of copying it twice, and every
    // merged label's run says which shard labelled it. NULL: the run ran here.
    R"sql(
CREATE TABLE workspace_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO workspace_info(key, value) VALUES('id', lower(hex(randomblob(16))));
ALTER TABLE runs ADD COLUMN origin TEXT;
ALTER TABLE runs ADD COLUMN origin_path TEXT;
CREATE UNIQUE INDEX runs_by_origin ON runs(origin);
)sql",
};

} // namespace uae::detail
