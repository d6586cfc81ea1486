"""Instructor tools: benchmarks, release and autograder builders."""
