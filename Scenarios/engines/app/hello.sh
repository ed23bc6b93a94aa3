#!/bin/sh
echo "hello from $(uname -s) $(cat /app/data/built-year 2>/dev/null)"
