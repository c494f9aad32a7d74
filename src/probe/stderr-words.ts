/**
 * What a crashed server's stderr says, for a person: the error line itself (Node's
 * `Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'x' ...`, Python's last
 * `ModuleNotFoundError: No module named 'x'`), not the end of its stack trace.
 */
export function errorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  // Python prints the exception last; Node prints it first, then the stack and `Node.js vX`.
  const error = /^(?:[A-Za-z_.]*(?:Error|Exception)|error)(?: \[[A-Z0-9_]+\])?: \S/;
  const python = lines.some((l) => l.startsWith('Traceback (most recent call last)'));
  return (python ? [...lines].reverse() : lines).find((l) => error.test(l));
}

/** The crash is a dependency that is not installed: what to do about it. */
export function missingDependency(stderr: string): string | undefined {
  if (/ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND|Cannot find (?:package|module)/.test(stderr))
    return "its dependencies are not installed: run 'npm install' in the server's folder (or use an absolute path to a built copy)";
  if (/ModuleNotFoundError|No module named/.test(stderr))
    return "its dependencies are not installed in the Python it runs with: install them there (pip install -r requirements.txt, or 'uv sync'), or point command at the project's virtual environment";
  return undefined;
}
