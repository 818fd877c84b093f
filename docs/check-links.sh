#!/usr/bin/env bash
# Checks every relative Markdown link in README.md, CONTRIBUTING.md and docs/*.md: the file must exist and,
# for a #fragment, one of its headings must produce that GitHub anchor. Prints each broken link; exit 1 if any.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
bad=0
anchors() {  # GitHub-style anchors of a Markdown file's headings (code blocks skipped)
  awk '/^```/{code=!code; next} !code && /^#+ /{sub(/^#+ +/,""); print}' "$1" |
    tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}
for f in README.md CONTRIBUTING.md docs/*.md; do
  dir=$(dirname "$f")
  # [text](target) outside code blocks; skip absolute URLs and mailto
  while IFS= read -r target; do
    case "$target" in http://*|https://*|mailto:*) continue ;; esac
    path=${target%%#*}; frag=""
    [[ "$target" == *"#"* ]] && frag=${target#*#}
    if [[ -z "$path" ]]; then file="$f"; else file="$dir/$path"; fi
    if [[ ! -e "$file" ]]; then echo "$f: broken link $target (no $file)"; bad=1; continue; fi
    if [[ -n "$frag" ]]; then
      if [[ ! -f "$file" ]] || ! anchors "$file" | grep -qx -- "$frag"; then
        echo "$f: broken anchor $target"; bad=1
      fi
    fi
  done < <(awk '/^```/{code=!code; next} !code' "$f" | grep -o '\]([^)]*)' | sed -e 's/^](//' -e 's/)$//' || true)
done
[[ $bad == 0 ]] && echo "all relative links resolve"
exit $bad
