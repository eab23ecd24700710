#!/bin/sh
# Sends the pending messages of one site, or of every site without an argument, as the original
# product's email_queue.sh did. For cron: */2 * * * * /path/to/chora/scripts/email_queue.sh news.example.org
#   scripts/email_queue.sh [domain]          send pending messages
#   scripts/email_queue.sh [domain] --retry  resend messages in error
set -eu
cd "$(dirname "$0")/.."
kind=send
domain=""
for arg in "$@"; do
  case "$arg" in
    --retry) kind=retry ;;
    *) domain="$arg" ;;
  esac
done
exec npm run --silent queue -- "$kind" ${domain:+"$domain"}
