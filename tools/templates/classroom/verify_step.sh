python - <<'PY'
@VERIFY@PY
cat > @GRADING_FOLDER@/grade_module.py <<'PY'
@RUNNER@PY
