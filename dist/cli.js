import { createRequire as __isCreateRequire } from 'node:module'; const require = __isCreateRequire(import.meta.url);
import { I as InputError, ag as runGit, ah as singleLine, T as getDefaultExportFromCjs, ai as distExports, aj as recoverInterruptedWrite, ak as loadStreams, a6 as DEFAULT_STREAM_GLOB, N as rfc3339Seconds, al as systemClock, W as parseStreamTag$1, X as streamTagProblem, am as parsePlatform, Z as createRegistryClient, Y as dockerConfigPath, a3 as formatDiagnostic, an as findStream, ao as notFound$1, V as runCommand, ap as OBSERVED_ANNOTATION, aq as readHolds, ar as readUpstream, as as prioritizeTags, at as importPending, au as listHolds, av as resolveReferenceForTagEvent, e as readFirstSeen, aw as followTagReference, ax as parseTagPolicy, ay as formatOrdering, az as describeImageStream, a4 as planRepository, a8 as templateProblems, a2 as globMatcher, aA as isGitWorkTree, a7 as parseShardSpec, J as renderCommitMessage, K as messageVars, aB as shortDigest, aC as policyLine, aD as promotionLine, aE as POLICY_ANNOTATION, aF as withoutTagOrDigest, a0 as parseReference, aG as PolicyImports, aH as explainSelection, aI as repositoryOf, aJ as formatCanonical, aK as RegistryError, aL as formatPlatform, aM as getImageStreams, aN as getImageStreamTags, af as keepShortLivedDocumentsYoung } from './chunks/v8-heap.js';
import require$$0 from 'node:events';
import require$$1$1 from 'node:child_process';
import require$$1, { resolve, relative, isAbsolute, sep, dirname, join } from 'node:path';
import require$$3, { existsSync, readFileSync } from 'node:fs';
import require$$4 from 'node:process';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import 'node:net';
import 'node:crypto';
import 'node:fs/promises';
import 'node:assert';
import 'node:http';
import 'node:stream';
import 'node:querystring';
import 'node:diagnostics_channel';
import 'node:util';
import 'node:buffer';
import 'node:tls';
import 'node:zlib';
import 'node:perf_hooks';
import 'node:util/types';
import 'node:worker_threads';
import 'node:async_hooks';
import 'node:console';
import 'node:timers';
import 'node:dns';
import 'process';
import 'buffer';
import 'fs';
import 'path';
import 'url';
import 'module';
import 'crypto';
import 'util';
import 'node:v8';

/**
 * Local delivery for the CLI (`sync --commit`): commit exactly the given paths with the real git binary.
 * `git commit --only -- <paths>` leaves anything else the user has staged untouched, and `--literal-pathspecs`
 * (git-runner.ts) makes a path like `k8s/[web].yaml` mean that file, not a glob. No shell is involved.
 */
function normalize(root, paths) {
    const out = new Set();
    paths.forEach((p, i) => {
        const abs = resolve(root, p);
        const rel = relative(root, abs);
        if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
            throw new InputError(`"${p}" is not inside ${root}`, { field: `paths[${i}]` });
        }
        out.add(rel.split(sep).join('/'));
    });
    return [...out];
}
/** Stages and commits exactly `paths` (relative to `root`, or absolute inside it). No commit when none changed. */
async function commitLocal(root, paths, message) {
    if (!message.trim())
        throw new InputError('a commit message is required', { field: 'message' });
    const rels = normalize(resolve(root), paths);
    if (rels.length === 0)
        return { committed: false, paths: [] };
    await runGit(root, ['rev-parse', '--show-toplevel']);
    // A path neither on disk nor tracked has nothing to commit, and `git add` would reject it.
    const tracked = new Set((await runGit(root, ['ls-files', '-z', '--full-name', '--', ...rels])).stdout.split('\0').filter(Boolean));
    const prefix = (await runGit(root, ['rev-parse', '--show-prefix'])).stdout.trim();
    const present = rels.filter((p) => existsSync(resolve(root, p)) || tracked.has(prefix + p));
    if (present.length === 0)
        return { committed: false, paths: rels };
    await runGit(root, ['add', '-A', '--', ...present]);
    const diff = await runGit(root, ['diff', '--cached', '--quiet', '--', ...present], [0, 1]);
    if (diff.code === 0)
        return { committed: false, paths: rels };
    await runGit(root, ['commit', '--quiet', '--only', '-m', message, '--', ...present]);
    const sha = (await runGit(root, ['rev-parse', 'HEAD'])).stdout.trim();
    return { committed: true, sha, paths: rels };
}

/** Plain-text output for the CLI: `oc get`-style tables and kubectl-style ages. */
/** Column gap of `oc get` (tabwriter padding 3). */
const GAP = '   ';
function width(text) {
    return Array.from(text).length;
}
/**
 * Column-aligned table: header row then one line per row, columns separated by three spaces, no trailing spaces,
 * ending with a newline. Cells are made single-line (line breaks to spaces, control characters to U+FFFD) so a
 * hostile value cannot forge extra rows or terminal escapes. Short rows are padded with empty cells.
 */
function renderTable(headers, rows) {
    const columns = Math.max(headers.length, ...rows.map((r) => r.length));
    const clean = [headers, ...rows].map((r) => Array.from({ length: columns }, (_, i) => singleLine(r[i] ?? '')));
    const widths = Array.from({ length: columns }, (_, i) => Math.max(...clean.map((r) => width(r[i]))));
    return clean
        .map((r) => r
        .map((cell, i) => (i === columns - 1 ? cell : cell + ' '.repeat(widths[i] - width(cell))))
        .join(GAP)
        .trimEnd())
        .join('\n')
        .concat('\n');
}
function toMillis(value) {
    return value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
}
/**
 * kubectl's ShortHumanDuration (k8s.io/apimachinery/pkg/util/duration): "45s", "5m", "3h", "12d", "2y". A time up to
 * 2 seconds in the future is "0s" (clock skew); further is "<invalid>"; an unparseable time is "<unknown>".
 */
function formatAge(from, now) {
    const start = toMillis(from);
    const end = toMillis(now);
    if (!Number.isFinite(start) || !Number.isFinite(end))
        return '<unknown>';
    const seconds = Math.trunc((end - start) / 1000);
    if (seconds < -1)
        return '<invalid>';
    if (seconds < 0)
        return '0s';
    if (seconds < 60)
        return `${seconds}s`;
    const minutes = Math.trunc(seconds / 60);
    if (minutes < 60)
        return `${minutes}m`;
    const hours = Math.trunc(minutes / 60);
    if (hours < 24)
        return `${hours}h`;
    if (hours < 24 * 365)
        return `${Math.trunc(hours / 24)}d`;
    return `${Math.trunc(hours / 24 / 365)}y`;
}

var commander$1 = {};

var argument = {};

var error = {};

/**
 * CommanderError class
 */

var hasRequiredError;

function requireError () {
	if (hasRequiredError) return error;
	hasRequiredError = 1;
	class CommanderError extends Error {
	  /**
	   * Constructs the CommanderError class
	   * @param {number} exitCode suggested exit code which could be used with process.exit
	   * @param {string} code an id string representing the error
	   * @param {string} message human-readable description of the error
	   */
	  constructor(exitCode, code, message) {
	    super(message);
	    // properly capture stack trace in Node.js
	    Error.captureStackTrace(this, this.constructor);
	    this.name = this.constructor.name;
	    this.code = code;
	    this.exitCode = exitCode;
	    this.nestedError = undefined;
	  }
	}

	/**
	 * InvalidArgumentError class
	 */
	class InvalidArgumentError extends CommanderError {
	  /**
	   * Constructs the InvalidArgumentError class
	   * @param {string} [message] explanation of why argument is invalid
	   */
	  constructor(message) {
	    super(1, 'commander.invalidArgument', message);
	    // properly capture stack trace in Node.js
	    Error.captureStackTrace(this, this.constructor);
	    this.name = this.constructor.name;
	  }
	}

	error.CommanderError = CommanderError;
	error.InvalidArgumentError = InvalidArgumentError;
	return error;
}

var hasRequiredArgument;

function requireArgument () {
	if (hasRequiredArgument) return argument;
	hasRequiredArgument = 1;
	const { InvalidArgumentError } = requireError();

	class Argument {
	  /**
	   * Initialize a new command argument with the given name and description.
	   * The default is that the argument is required, and you can explicitly
	   * indicate this with <> around the name. Put [] around the name for an optional argument.
	   *
	   * @param {string} name
	   * @param {string} [description]
	   */

	  constructor(name, description) {
	    this.description = description || '';
	    this.variadic = false;
	    this.parseArg = undefined;
	    this.defaultValue = undefined;
	    this.defaultValueDescription = undefined;
	    this.argChoices = undefined;

	    switch (name[0]) {
	      case '<': // e.g. <required>
	        this.required = true;
	        this._name = name.slice(1, -1);
	        break;
	      case '[': // e.g. [optional]
	        this.required = false;
	        this._name = name.slice(1, -1);
	        break;
	      default:
	        this.required = true;
	        this._name = name;
	        break;
	    }

	    if (this._name.endsWith('...')) {
	      this.variadic = true;
	      this._name = this._name.slice(0, -3);
	    }
	  }

	  /**
	   * Return argument name.
	   *
	   * @return {string}
	   */

	  name() {
	    return this._name;
	  }

	  /**
	   * @package
	   */

	  _collectValue(value, previous) {
	    if (previous === this.defaultValue || !Array.isArray(previous)) {
	      return [value];
	    }

	    previous.push(value);
	    return previous;
	  }

	  /**
	   * Set the default value, and optionally supply the description to be displayed in the help.
	   *
	   * @param {*} value
	   * @param {string} [description]
	   * @return {Argument}
	   */

	  default(value, description) {
	    this.defaultValue = value;
	    this.defaultValueDescription = description;
	    return this;
	  }

	  /**
	   * Set the custom handler for processing CLI command arguments into argument values.
	   *
	   * @param {Function} [fn]
	   * @return {Argument}
	   */

	  argParser(fn) {
	    this.parseArg = fn;
	    return this;
	  }

	  /**
	   * Only allow argument value to be one of choices.
	   *
	   * @param {string[]} values
	   * @return {Argument}
	   */

	  choices(values) {
	    this.argChoices = values.slice();
	    this.parseArg = (arg, previous) => {
	      if (!this.argChoices.includes(arg)) {
	        throw new InvalidArgumentError(
	          `Allowed choices are ${this.argChoices.join(', ')}.`,
	        );
	      }
	      if (this.variadic) {
	        return this._collectValue(arg, previous);
	      }
	      return arg;
	    };
	    return this;
	  }

	  /**
	   * Make argument required.
	   *
	   * @returns {Argument}
	   */
	  argRequired() {
	    this.required = true;
	    return this;
	  }

	  /**
	   * Make argument optional.
	   *
	   * @returns {Argument}
	   */
	  argOptional() {
	    this.required = false;
	    return this;
	  }
	}

	/**
	 * Takes an argument and returns its human readable equivalent for help usage.
	 *
	 * @param {Argument} arg
	 * @return {string}
	 * @private
	 */

	function humanReadableArgName(arg) {
	  const nameOutput = arg.name() + (arg.variadic === true ? '...' : '');

	  return arg.required ? '<' + nameOutput + '>' : '[' + nameOutput + ']';
	}

	argument.Argument = Argument;
	argument.humanReadableArgName = humanReadableArgName;
	return argument;
}

var command = {};

var help = {};

var hasRequiredHelp;

function requireHelp () {
	if (hasRequiredHelp) return help;
	hasRequiredHelp = 1;
	const { humanReadableArgName } = requireArgument();

	/**
	 * TypeScript import types for JSDoc, used by Visual Studio Code IntelliSense and `npm run typescript-checkJS`
	 * https://www.typescriptlang.org/docs/handbook/jsdoc-supported-types.html#import-types
	 * @typedef { import("./argument.js").Argument } Argument
	 * @typedef { import("./command.js").Command } Command
	 * @typedef { import("./option.js").Option } Option
	 */

	// Although this is a class, methods are static in style to allow override using subclass or just functions.
	class Help {
	  constructor() {
	    this.helpWidth = undefined;
	    this.minWidthToWrap = 40;
	    this.sortSubcommands = false;
	    this.sortOptions = false;
	    this.showGlobalOptions = false;
	  }

	  /**
	   * prepareContext is called by Commander after applying overrides from `Command.configureHelp()`
	   * and just before calling `formatHelp()`.
	   *
	   * Commander just uses the helpWidth and the rest is provided for optional use by more complex subclasses.
	   *
	   * @param {{ error?: boolean, helpWidth?: number, outputHasColors?: boolean }} contextOptions
	   */
	  prepareContext(contextOptions) {
	    this.helpWidth = this.helpWidth ?? contextOptions.helpWidth ?? 80;
	  }

	  /**
	   * Get an array of the visible subcommands. Includes a placeholder for the implicit help command, if there is one.
	   *
	   * @param {Command} cmd
	   * @returns {Command[]}
	   */

	  visibleCommands(cmd) {
	    const visibleCommands = cmd.commands.filter((cmd) => !cmd._hidden);
	    const helpCommand = cmd._getHelpCommand();
	    if (helpCommand && !helpCommand._hidden) {
	      visibleCommands.push(helpCommand);
	    }
	    if (this.sortSubcommands) {
	      visibleCommands.sort((a, b) => {
	        // @ts-ignore: because overloaded return type
	        return a.name().localeCompare(b.name());
	      });
	    }
	    return visibleCommands;
	  }

	  /**
	   * Compare options for sort.
	   *
	   * @param {Option} a
	   * @param {Option} b
	   * @returns {number}
	   */
	  compareOptions(a, b) {
	    const getSortKey = (option) => {
	      // WYSIWYG for order displayed in help. Short used for comparison if present. No special handling for negated.
	      return option.short
	        ? option.short.replace(/^-/, '')
	        : option.long.replace(/^--/, '');
	    };
	    return getSortKey(a).localeCompare(getSortKey(b));
	  }

	  /**
	   * Get an array of the visible options. Includes a placeholder for the implicit help option, if there is one.
	   *
	   * @param {Command} cmd
	   * @returns {Option[]}
	   */

	  visibleOptions(cmd) {
	    const visibleOptions = cmd.options.filter((option) => !option.hidden);
	    // Built-in help option.
	    const helpOption = cmd._getHelpOption();
	    if (helpOption && !helpOption.hidden) {
	      // Automatically hide conflicting flags. Bit dubious but a historical behaviour that is convenient for single-command programs.
	      const removeShort = helpOption.short && cmd._findOption(helpOption.short);
	      const removeLong = helpOption.long && cmd._findOption(helpOption.long);
	      if (!removeShort && !removeLong) {
	        visibleOptions.push(helpOption); // no changes needed
	      } else if (helpOption.long && !removeLong) {
	        visibleOptions.push(
	          cmd.createOption(helpOption.long, helpOption.description),
	        );
	      } else if (helpOption.short && !removeShort) {
	        visibleOptions.push(
	          cmd.createOption(helpOption.short, helpOption.description),
	        );
	      }
	    }
	    if (this.sortOptions) {
	      visibleOptions.sort(this.compareOptions);
	    }
	    return visibleOptions;
	  }

	  /**
	   * Get an array of the visible global options. (Not including help.)
	   *
	   * @param {Command} cmd
	   * @returns {Option[]}
	   */

	  visibleGlobalOptions(cmd) {
	    if (!this.showGlobalOptions) return [];

	    const globalOptions = [];
	    for (
	      let ancestorCmd = cmd.parent;
	      ancestorCmd;
	      ancestorCmd = ancestorCmd.parent
	    ) {
	      const visibleOptions = ancestorCmd.options.filter(
	        (option) => !option.hidden,
	      );
	      globalOptions.push(...visibleOptions);
	    }
	    if (this.sortOptions) {
	      globalOptions.sort(this.compareOptions);
	    }
	    return globalOptions;
	  }

	  /**
	   * Get an array of the arguments if any have a description.
	   *
	   * @param {Command} cmd
	   * @returns {Argument[]}
	   */

	  visibleArguments(cmd) {
	    // Side effect! Apply the legacy descriptions before the arguments are displayed.
	    if (cmd._argsDescription) {
	      cmd.registeredArguments.forEach((argument) => {
	        argument.description =
	          argument.description || cmd._argsDescription[argument.name()] || '';
	      });
	    }

	    // If there are any arguments with a description then return all the arguments.
	    if (cmd.registeredArguments.find((argument) => argument.description)) {
	      return cmd.registeredArguments;
	    }
	    return [];
	  }

	  /**
	   * Get the command term to show in the list of subcommands.
	   *
	   * @param {Command} cmd
	   * @returns {string}
	   */

	  subcommandTerm(cmd) {
	    // Legacy. Ignores custom usage string, and nested commands.
	    const args = cmd.registeredArguments
	      .map((arg) => humanReadableArgName(arg))
	      .join(' ');
	    return (
	      cmd._name +
	      (cmd._aliases[0] ? '|' + cmd._aliases[0] : '') +
	      (cmd.options.length ? ' [options]' : '') + // simplistic check for non-help option
	      (args ? ' ' + args : '')
	    );
	  }

	  /**
	   * Get the option term to show in the list of options.
	   *
	   * @param {Option} option
	   * @returns {string}
	   */

	  optionTerm(option) {
	    return option.flags;
	  }

	  /**
	   * Get the argument term to show in the list of arguments.
	   *
	   * @param {Argument} argument
	   * @returns {string}
	   */

	  argumentTerm(argument) {
	    return argument.name();
	  }

	  /**
	   * Get the longest command term length.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {number}
	   */

	  longestSubcommandTermLength(cmd, helper) {
	    return helper.visibleCommands(cmd).reduce((max, command) => {
	      return Math.max(
	        max,
	        this.displayWidth(
	          helper.styleSubcommandTerm(helper.subcommandTerm(command)),
	        ),
	      );
	    }, 0);
	  }

	  /**
	   * Get the longest option term length.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {number}
	   */

	  longestOptionTermLength(cmd, helper) {
	    return helper.visibleOptions(cmd).reduce((max, option) => {
	      return Math.max(
	        max,
	        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
	      );
	    }, 0);
	  }

	  /**
	   * Get the longest global option term length.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {number}
	   */

	  longestGlobalOptionTermLength(cmd, helper) {
	    return helper.visibleGlobalOptions(cmd).reduce((max, option) => {
	      return Math.max(
	        max,
	        this.displayWidth(helper.styleOptionTerm(helper.optionTerm(option))),
	      );
	    }, 0);
	  }

	  /**
	   * Get the longest argument term length.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {number}
	   */

	  longestArgumentTermLength(cmd, helper) {
	    return helper.visibleArguments(cmd).reduce((max, argument) => {
	      return Math.max(
	        max,
	        this.displayWidth(
	          helper.styleArgumentTerm(helper.argumentTerm(argument)),
	        ),
	      );
	    }, 0);
	  }

	  /**
	   * Get the command usage to be displayed at the top of the built-in help.
	   *
	   * @param {Command} cmd
	   * @returns {string}
	   */

	  commandUsage(cmd) {
	    // Usage
	    let cmdName = cmd._name;
	    if (cmd._aliases[0]) {
	      cmdName = cmdName + '|' + cmd._aliases[0];
	    }
	    let ancestorCmdNames = '';
	    for (
	      let ancestorCmd = cmd.parent;
	      ancestorCmd;
	      ancestorCmd = ancestorCmd.parent
	    ) {
	      ancestorCmdNames = ancestorCmd.name() + ' ' + ancestorCmdNames;
	    }
	    return ancestorCmdNames + cmdName + ' ' + cmd.usage();
	  }

	  /**
	   * Get the description for the command.
	   *
	   * @param {Command} cmd
	   * @returns {string}
	   */

	  commandDescription(cmd) {
	    // @ts-ignore: because overloaded return type
	    return cmd.description();
	  }

	  /**
	   * Get the subcommand summary to show in the list of subcommands.
	   * (Fallback to description for backwards compatibility.)
	   *
	   * @param {Command} cmd
	   * @returns {string}
	   */

	  subcommandDescription(cmd) {
	    // @ts-ignore: because overloaded return type
	    return cmd.summary() || cmd.description();
	  }

	  /**
	   * Get the option description to show in the list of options.
	   *
	   * @param {Option} option
	   * @return {string}
	   */

	  optionDescription(option) {
	    const extraInfo = [];

	    if (option.argChoices) {
	      extraInfo.push(
	        // use stringify to match the display of the default value
	        `choices: ${option.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
	      );
	    }
	    if (option.defaultValue !== undefined) {
	      // default for boolean and negated more for programmer than end user,
	      // but show true/false for boolean option as may be for hand-rolled env or config processing.
	      const showDefault =
	        option.required ||
	        option.optional ||
	        (option.isBoolean() && typeof option.defaultValue === 'boolean');
	      if (showDefault) {
	        extraInfo.push(
	          `default: ${option.defaultValueDescription || JSON.stringify(option.defaultValue)}`,
	        );
	      }
	    }
	    // preset for boolean and negated are more for programmer than end user
	    if (option.presetArg !== undefined && option.optional) {
	      extraInfo.push(`preset: ${JSON.stringify(option.presetArg)}`);
	    }
	    if (option.envVar !== undefined) {
	      extraInfo.push(`env: ${option.envVar}`);
	    }
	    if (extraInfo.length > 0) {
	      const extraDescription = `(${extraInfo.join(', ')})`;
	      if (option.description) {
	        return `${option.description} ${extraDescription}`;
	      }
	      return extraDescription;
	    }

	    return option.description;
	  }

	  /**
	   * Get the argument description to show in the list of arguments.
	   *
	   * @param {Argument} argument
	   * @return {string}
	   */

	  argumentDescription(argument) {
	    const extraInfo = [];
	    if (argument.argChoices) {
	      extraInfo.push(
	        // use stringify to match the display of the default value
	        `choices: ${argument.argChoices.map((choice) => JSON.stringify(choice)).join(', ')}`,
	      );
	    }
	    if (argument.defaultValue !== undefined) {
	      extraInfo.push(
	        `default: ${argument.defaultValueDescription || JSON.stringify(argument.defaultValue)}`,
	      );
	    }
	    if (extraInfo.length > 0) {
	      const extraDescription = `(${extraInfo.join(', ')})`;
	      if (argument.description) {
	        return `${argument.description} ${extraDescription}`;
	      }
	      return extraDescription;
	    }
	    return argument.description;
	  }

	  /**
	   * Format a list of items, given a heading and an array of formatted items.
	   *
	   * @param {string} heading
	   * @param {string[]} items
	   * @param {Help} helper
	   * @returns string[]
	   */
	  formatItemList(heading, items, helper) {
	    if (items.length === 0) return [];

	    return [helper.styleTitle(heading), ...items, ''];
	  }

	  /**
	   * Group items by their help group heading.
	   *
	   * @param {Command[] | Option[]} unsortedItems
	   * @param {Command[] | Option[]} visibleItems
	   * @param {Function} getGroup
	   * @returns {Map<string, Command[] | Option[]>}
	   */
	  groupItems(unsortedItems, visibleItems, getGroup) {
	    const result = new Map();
	    // Add groups in order of appearance in unsortedItems.
	    unsortedItems.forEach((item) => {
	      const group = getGroup(item);
	      if (!result.has(group)) result.set(group, []);
	    });
	    // Add items in order of appearance in visibleItems.
	    visibleItems.forEach((item) => {
	      const group = getGroup(item);
	      if (!result.has(group)) {
	        result.set(group, []);
	      }
	      result.get(group).push(item);
	    });
	    return result;
	  }

	  /**
	   * Generate the built-in help text.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {string}
	   */

	  formatHelp(cmd, helper) {
	    const termWidth = helper.padWidth(cmd, helper);
	    const helpWidth = helper.helpWidth ?? 80; // in case prepareContext() was not called

	    function callFormatItem(term, description) {
	      return helper.formatItem(term, termWidth, description, helper);
	    }

	    // Usage
	    let output = [
	      `${helper.styleTitle('Usage:')} ${helper.styleUsage(helper.commandUsage(cmd))}`,
	      '',
	    ];

	    // Description
	    const commandDescription = helper.commandDescription(cmd);
	    if (commandDescription.length > 0) {
	      output = output.concat([
	        helper.boxWrap(
	          helper.styleCommandDescription(commandDescription),
	          helpWidth,
	        ),
	        '',
	      ]);
	    }

	    // Arguments
	    const argumentList = helper.visibleArguments(cmd).map((argument) => {
	      return callFormatItem(
	        helper.styleArgumentTerm(helper.argumentTerm(argument)),
	        helper.styleArgumentDescription(helper.argumentDescription(argument)),
	      );
	    });
	    output = output.concat(
	      this.formatItemList('Arguments:', argumentList, helper),
	    );

	    // Options
	    const optionGroups = this.groupItems(
	      cmd.options,
	      helper.visibleOptions(cmd),
	      (option) => option.helpGroupHeading ?? 'Options:',
	    );
	    optionGroups.forEach((options, group) => {
	      const optionList = options.map((option) => {
	        return callFormatItem(
	          helper.styleOptionTerm(helper.optionTerm(option)),
	          helper.styleOptionDescription(helper.optionDescription(option)),
	        );
	      });
	      output = output.concat(this.formatItemList(group, optionList, helper));
	    });

	    if (helper.showGlobalOptions) {
	      const globalOptionList = helper
	        .visibleGlobalOptions(cmd)
	        .map((option) => {
	          return callFormatItem(
	            helper.styleOptionTerm(helper.optionTerm(option)),
	            helper.styleOptionDescription(helper.optionDescription(option)),
	          );
	        });
	      output = output.concat(
	        this.formatItemList('Global Options:', globalOptionList, helper),
	      );
	    }

	    // Commands
	    const commandGroups = this.groupItems(
	      cmd.commands,
	      helper.visibleCommands(cmd),
	      (sub) => sub.helpGroup() || 'Commands:',
	    );
	    commandGroups.forEach((commands, group) => {
	      const commandList = commands.map((sub) => {
	        return callFormatItem(
	          helper.styleSubcommandTerm(helper.subcommandTerm(sub)),
	          helper.styleSubcommandDescription(helper.subcommandDescription(sub)),
	        );
	      });
	      output = output.concat(this.formatItemList(group, commandList, helper));
	    });

	    return output.join('\n');
	  }

	  /**
	   * Return display width of string, ignoring ANSI escape sequences. Used in padding and wrapping calculations.
	   *
	   * @param {string} str
	   * @returns {number}
	   */
	  displayWidth(str) {
	    return stripColor(str).length;
	  }

	  /**
	   * Style the title for displaying in the help. Called with 'Usage:', 'Options:', etc.
	   *
	   * @param {string} str
	   * @returns {string}
	   */
	  styleTitle(str) {
	    return str;
	  }

	  styleUsage(str) {
	    // Usage has lots of parts the user might like to color separately! Assume default usage string which is formed like:
	    //    command subcommand [options] [command] <foo> [bar]
	    return str
	      .split(' ')
	      .map((word) => {
	        if (word === '[options]') return this.styleOptionText(word);
	        if (word === '[command]') return this.styleSubcommandText(word);
	        if (word[0] === '[' || word[0] === '<')
	          return this.styleArgumentText(word);
	        return this.styleCommandText(word); // Restrict to initial words?
	      })
	      .join(' ');
	  }
	  styleCommandDescription(str) {
	    return this.styleDescriptionText(str);
	  }
	  styleOptionDescription(str) {
	    return this.styleDescriptionText(str);
	  }
	  styleSubcommandDescription(str) {
	    return this.styleDescriptionText(str);
	  }
	  styleArgumentDescription(str) {
	    return this.styleDescriptionText(str);
	  }
	  styleDescriptionText(str) {
	    return str;
	  }
	  styleOptionTerm(str) {
	    return this.styleOptionText(str);
	  }
	  styleSubcommandTerm(str) {
	    // This is very like usage with lots of parts! Assume default string which is formed like:
	    //    subcommand [options] <foo> [bar]
	    return str
	      .split(' ')
	      .map((word) => {
	        if (word === '[options]') return this.styleOptionText(word);
	        if (word[0] === '[' || word[0] === '<')
	          return this.styleArgumentText(word);
	        return this.styleSubcommandText(word); // Restrict to initial words?
	      })
	      .join(' ');
	  }
	  styleArgumentTerm(str) {
	    return this.styleArgumentText(str);
	  }
	  styleOptionText(str) {
	    return str;
	  }
	  styleArgumentText(str) {
	    return str;
	  }
	  styleSubcommandText(str) {
	    return str;
	  }
	  styleCommandText(str) {
	    return str;
	  }

	  /**
	   * Calculate the pad width from the maximum term length.
	   *
	   * @param {Command} cmd
	   * @param {Help} helper
	   * @returns {number}
	   */

	  padWidth(cmd, helper) {
	    return Math.max(
	      helper.longestOptionTermLength(cmd, helper),
	      helper.longestGlobalOptionTermLength(cmd, helper),
	      helper.longestSubcommandTermLength(cmd, helper),
	      helper.longestArgumentTermLength(cmd, helper),
	    );
	  }

	  /**
	   * Detect manually wrapped and indented strings by checking for line break followed by whitespace.
	   *
	   * @param {string} str
	   * @returns {boolean}
	   */
	  preformatted(str) {
	    return /\n[^\S\r\n]/.test(str);
	  }

	  /**
	   * Format the "item", which consists of a term and description. Pad the term and wrap the description, indenting the following lines.
	   *
	   * So "TTT", 5, "DDD DDDD DD DDD" might be formatted for this.helpWidth=17 like so:
	   *   TTT  DDD DDDD
	   *        DD DDD
	   *
	   * @param {string} term
	   * @param {number} termWidth
	   * @param {string} description
	   * @param {Help} helper
	   * @returns {string}
	   */
	  formatItem(term, termWidth, description, helper) {
	    const itemIndent = 2;
	    const itemIndentStr = ' '.repeat(itemIndent);
	    if (!description) return itemIndentStr + term;

	    // Pad the term out to a consistent width, so descriptions are aligned.
	    const paddedTerm = term.padEnd(
	      termWidth + term.length - helper.displayWidth(term),
	    );

	    // Format the description.
	    const spacerWidth = 2; // between term and description
	    const helpWidth = this.helpWidth ?? 80; // in case prepareContext() was not called
	    const remainingWidth = helpWidth - termWidth - spacerWidth - itemIndent;
	    let formattedDescription;
	    if (
	      remainingWidth < this.minWidthToWrap ||
	      helper.preformatted(description)
	    ) {
	      formattedDescription = description;
	    } else {
	      const wrappedDescription = helper.boxWrap(description, remainingWidth);
	      formattedDescription = wrappedDescription.replace(
	        /\n/g,
	        '\n' + ' '.repeat(termWidth + spacerWidth),
	      );
	    }

	    // Construct and overall indent.
	    return (
	      itemIndentStr +
	      paddedTerm +
	      ' '.repeat(spacerWidth) +
	      formattedDescription.replace(/\n/g, `\n${itemIndentStr}`)
	    );
	  }

	  /**
	   * Wrap a string at whitespace, preserving existing line breaks.
	   * Wrapping is skipped if the width is less than `minWidthToWrap`.
	   *
	   * @param {string} str
	   * @param {number} width
	   * @returns {string}
	   */
	  boxWrap(str, width) {
	    if (width < this.minWidthToWrap) return str;

	    const rawLines = str.split(/\r\n|\n/);
	    // split up text by whitespace
	    const chunkPattern = /[\s]*[^\s]+/g;
	    const wrappedLines = [];
	    rawLines.forEach((line) => {
	      const chunks = line.match(chunkPattern);
	      if (chunks === null) {
	        wrappedLines.push('');
	        return;
	      }

	      let sumChunks = [chunks.shift()];
	      let sumWidth = this.displayWidth(sumChunks[0]);
	      chunks.forEach((chunk) => {
	        const visibleWidth = this.displayWidth(chunk);
	        // Accumulate chunks while they fit into width.
	        if (sumWidth + visibleWidth <= width) {
	          sumChunks.push(chunk);
	          sumWidth += visibleWidth;
	          return;
	        }
	        wrappedLines.push(sumChunks.join(''));

	        const nextChunk = chunk.trimStart(); // trim space at line break
	        sumChunks = [nextChunk];
	        sumWidth = this.displayWidth(nextChunk);
	      });
	      wrappedLines.push(sumChunks.join(''));
	    });

	    return wrappedLines.join('\n');
	  }
	}

	/**
	 * Strip style ANSI escape sequences from the string. In particular, SGR (Select Graphic Rendition) codes.
	 *
	 * @param {string} str
	 * @returns {string}
	 * @package
	 */

	function stripColor(str) {
	  // eslint-disable-next-line no-control-regex
	  const sgrPattern = /\x1b\[\d*(;\d*)*m/g;
	  return str.replace(sgrPattern, '');
	}

	help.Help = Help;
	help.stripColor = stripColor;
	return help;
}

var option = {};

var hasRequiredOption;

function requireOption () {
	if (hasRequiredOption) return option;
	hasRequiredOption = 1;
	const { InvalidArgumentError } = requireError();

	class Option {
	  /**
	   * Initialize a new `Option` with the given `flags` and `description`.
	   *
	   * @param {string} flags
	   * @param {string} [description]
	   */

	  constructor(flags, description) {
	    this.flags = flags;
	    this.description = description || '';

	    this.required = flags.includes('<'); // A value must be supplied when the option is specified.
	    this.optional = flags.includes('['); // A value is optional when the option is specified.
	    // variadic test ignores <value,...> et al which might be used to describe custom splitting of single argument
	    this.variadic = /\w\.\.\.[>\]]$/.test(flags); // The option can take multiple values.
	    this.mandatory = false; // The option must have a value after parsing, which usually means it must be specified on command line.
	    const optionFlags = splitOptionFlags(flags);
	    this.short = optionFlags.shortFlag; // May be a short flag, undefined, or even a long flag (if option has two long flags).
	    this.long = optionFlags.longFlag;
	    this.negate = false;
	    if (this.long) {
	      this.negate = this.long.startsWith('--no-');
	    }
	    this.defaultValue = undefined;
	    this.defaultValueDescription = undefined;
	    this.presetArg = undefined;
	    this.envVar = undefined;
	    this.parseArg = undefined;
	    this.hidden = false;
	    this.argChoices = undefined;
	    this.conflictsWith = [];
	    this.implied = undefined;
	    this.helpGroupHeading = undefined; // soft initialised when option added to command
	  }

	  /**
	   * Set the default value, and optionally supply the description to be displayed in the help.
	   *
	   * @param {*} value
	   * @param {string} [description]
	   * @return {Option}
	   */

	  default(value, description) {
	    this.defaultValue = value;
	    this.defaultValueDescription = description;
	    return this;
	  }

	  /**
	   * Preset to use when option used without option-argument, especially optional but also boolean and negated.
	   * The custom processing (parseArg) is called.
	   *
	   * @example
	   * new Option('--color').default('GREYSCALE').preset('RGB');
	   * new Option('--donate [amount]').preset('20').argParser(parseFloat);
	   *
	   * @param {*} arg
	   * @return {Option}
	   */

	  preset(arg) {
	    this.presetArg = arg;
	    return this;
	  }

	  /**
	   * Add option name(s) that conflict with this option.
	   * An error will be displayed if conflicting options are found during parsing.
	   *
	   * @example
	   * new Option('--rgb').conflicts('cmyk');
	   * new Option('--js').conflicts(['ts', 'jsx']);
	   *
	   * @param {(string | string[])} names
	   * @return {Option}
	   */

	  conflicts(names) {
	    this.conflictsWith = this.conflictsWith.concat(names);
	    return this;
	  }

	  /**
	   * Specify implied option values for when this option is set and the implied options are not.
	   *
	   * The custom processing (parseArg) is not called on the implied values.
	   *
	   * @example
	   * program
	   *   .addOption(new Option('--log', 'write logging information to file'))
	   *   .addOption(new Option('--trace', 'log extra details').implies({ log: 'trace.txt' }));
	   *
	   * @param {object} impliedOptionValues
	   * @return {Option}
	   */
	  implies(impliedOptionValues) {
	    let newImplied = impliedOptionValues;
	    if (typeof impliedOptionValues === 'string') {
	      // string is not documented, but easy mistake and we can do what user probably intended.
	      newImplied = { [impliedOptionValues]: true };
	    }
	    this.implied = Object.assign(this.implied || {}, newImplied);
	    return this;
	  }

	  /**
	   * Set environment variable to check for option value.
	   *
	   * An environment variable is only used if when processed the current option value is
	   * undefined, or the source of the current value is 'default' or 'config' or 'env'.
	   *
	   * @param {string} name
	   * @return {Option}
	   */

	  env(name) {
	    this.envVar = name;
	    return this;
	  }

	  /**
	   * Set the custom handler for processing CLI option arguments into option values.
	   *
	   * @param {Function} [fn]
	   * @return {Option}
	   */

	  argParser(fn) {
	    this.parseArg = fn;
	    return this;
	  }

	  /**
	   * Whether the option is mandatory and must have a value after parsing.
	   *
	   * @param {boolean} [mandatory=true]
	   * @return {Option}
	   */

	  makeOptionMandatory(mandatory = true) {
	    this.mandatory = !!mandatory;
	    return this;
	  }

	  /**
	   * Hide option in help.
	   *
	   * @param {boolean} [hide=true]
	   * @return {Option}
	   */

	  hideHelp(hide = true) {
	    this.hidden = !!hide;
	    return this;
	  }

	  /**
	   * @package
	   */

	  _collectValue(value, previous) {
	    if (previous === this.defaultValue || !Array.isArray(previous)) {
	      return [value];
	    }

	    previous.push(value);
	    return previous;
	  }

	  /**
	   * Only allow option value to be one of choices.
	   *
	   * @param {string[]} values
	   * @return {Option}
	   */

	  choices(values) {
	    this.argChoices = values.slice();
	    this.parseArg = (arg, previous) => {
	      if (!this.argChoices.includes(arg)) {
	        throw new InvalidArgumentError(
	          `Allowed choices are ${this.argChoices.join(', ')}.`,
	        );
	      }
	      if (this.variadic) {
	        return this._collectValue(arg, previous);
	      }
	      return arg;
	    };
	    return this;
	  }

	  /**
	   * Return option name.
	   *
	   * @return {string}
	   */

	  name() {
	    if (this.long) {
	      return this.long.replace(/^--/, '');
	    }
	    return this.short.replace(/^-/, '');
	  }

	  /**
	   * Return option name, in a camelcase format that can be used
	   * as an object attribute key.
	   *
	   * @return {string}
	   */

	  attributeName() {
	    if (this.negate) {
	      return camelcase(this.name().replace(/^no-/, ''));
	    }
	    return camelcase(this.name());
	  }

	  /**
	   * Set the help group heading.
	   *
	   * @param {string} heading
	   * @return {Option}
	   */
	  helpGroup(heading) {
	    this.helpGroupHeading = heading;
	    return this;
	  }

	  /**
	   * Check if `arg` matches the short or long flag.
	   *
	   * @param {string} arg
	   * @return {boolean}
	   * @package
	   */

	  is(arg) {
	    return this.short === arg || this.long === arg;
	  }

	  /**
	   * Return whether a boolean option.
	   *
	   * Options are one of boolean, negated, required argument, or optional argument.
	   *
	   * @return {boolean}
	   * @package
	   */

	  isBoolean() {
	    return !this.required && !this.optional && !this.negate;
	  }
	}

	/**
	 * This class is to make it easier to work with dual options, without changing the existing
	 * implementation. We support separate dual options for separate positive and negative options,
	 * like `--build` and `--no-build`, which share a single option value. This works nicely for some
	 * use cases, but is tricky for others where we want separate behaviours despite
	 * the single shared option value.
	 */
	class DualOptions {
	  /**
	   * @param {Option[]} options
	   */
	  constructor(options) {
	    this.positiveOptions = new Map();
	    this.negativeOptions = new Map();
	    this.dualOptions = new Set();
	    options.forEach((option) => {
	      if (option.negate) {
	        this.negativeOptions.set(option.attributeName(), option);
	      } else {
	        this.positiveOptions.set(option.attributeName(), option);
	      }
	    });
	    this.negativeOptions.forEach((value, key) => {
	      if (this.positiveOptions.has(key)) {
	        this.dualOptions.add(key);
	      }
	    });
	  }

	  /**
	   * Did the value come from the option, and not from possible matching dual option?
	   *
	   * @param {*} value
	   * @param {Option} option
	   * @returns {boolean}
	   */
	  valueFromOption(value, option) {
	    const optionKey = option.attributeName();
	    if (!this.dualOptions.has(optionKey)) return true;

	    // Use the value to deduce if (probably) came from the option.
	    const preset = this.negativeOptions.get(optionKey).presetArg;
	    const negativeValue = preset !== undefined ? preset : false;
	    return option.negate === (negativeValue === value);
	  }
	}

	/**
	 * Convert string from kebab-case to camelCase.
	 *
	 * @param {string} str
	 * @return {string}
	 * @private
	 */

	function camelcase(str) {
	  return str.split('-').reduce((str, word) => {
	    return str + word[0].toUpperCase() + word.slice(1);
	  });
	}

	/**
	 * Split the short and long flag out of something like '-m,--mixed <value>'
	 *
	 * @private
	 */

	function splitOptionFlags(flags) {
	  let shortFlag;
	  let longFlag;
	  // short flag, single dash and single character
	  const shortFlagExp = /^-[^-]$/;
	  // long flag, double dash and at least one character
	  const longFlagExp = /^--[^-]/;

	  const flagParts = flags.split(/[ |,]+/).concat('guard');
	  // Normal is short and/or long.
	  if (shortFlagExp.test(flagParts[0])) shortFlag = flagParts.shift();
	  if (longFlagExp.test(flagParts[0])) longFlag = flagParts.shift();
	  // Long then short. Rarely used but fine.
	  if (!shortFlag && shortFlagExp.test(flagParts[0]))
	    shortFlag = flagParts.shift();
	  // Allow two long flags, like '--ws, --workspace'
	  // This is the supported way to have a shortish option flag.
	  if (!shortFlag && longFlagExp.test(flagParts[0])) {
	    shortFlag = longFlag;
	    longFlag = flagParts.shift();
	  }

	  // Check for unprocessed flag. Fail noisily rather than silently ignore.
	  if (flagParts[0].startsWith('-')) {
	    const unsupportedFlag = flagParts[0];
	    const baseError = `option creation failed due to '${unsupportedFlag}' in option flags '${flags}'`;
	    if (/^-[^-][^-]/.test(unsupportedFlag))
	      throw new Error(
	        `${baseError}
- a short flag is a single dash and a single character
  - either use a single dash and a single character (for a short flag)
  - or use a double dash for a long option (and can have two, like '--ws, --workspace')`,
	      );
	    if (shortFlagExp.test(unsupportedFlag))
	      throw new Error(`${baseError}
- too many short flags`);
	    if (longFlagExp.test(unsupportedFlag))
	      throw new Error(`${baseError}
- too many long flags`);

	    throw new Error(`${baseError}
- unrecognised flag format`);
	  }
	  if (shortFlag === undefined && longFlag === undefined)
	    throw new Error(
	      `option creation failed due to no flags found in '${flags}'.`,
	    );

	  return { shortFlag, longFlag };
	}

	option.Option = Option;
	option.DualOptions = DualOptions;
	return option;
}

var suggestSimilar = {};

var hasRequiredSuggestSimilar;

function requireSuggestSimilar () {
	if (hasRequiredSuggestSimilar) return suggestSimilar;
	hasRequiredSuggestSimilar = 1;
	const maxDistance = 3;

	function editDistance(a, b) {
	  // https://en.wikipedia.org/wiki/Damerau–Levenshtein_distance
	  // Calculating optimal string alignment distance, no substring is edited more than once.
	  // (Simple implementation.)

	  // Quick early exit, return worst case.
	  if (Math.abs(a.length - b.length) > maxDistance)
	    return Math.max(a.length, b.length);

	  // distance between prefix substrings of a and b
	  const d = [];

	  // pure deletions turn a into empty string
	  for (let i = 0; i <= a.length; i++) {
	    d[i] = [i];
	  }
	  // pure insertions turn empty string into b
	  for (let j = 0; j <= b.length; j++) {
	    d[0][j] = j;
	  }

	  // fill matrix
	  for (let j = 1; j <= b.length; j++) {
	    for (let i = 1; i <= a.length; i++) {
	      let cost = 1;
	      if (a[i - 1] === b[j - 1]) {
	        cost = 0;
	      } else {
	        cost = 1;
	      }
	      d[i][j] = Math.min(
	        d[i - 1][j] + 1, // deletion
	        d[i][j - 1] + 1, // insertion
	        d[i - 1][j - 1] + cost, // substitution
	      );
	      // transposition
	      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
	        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
	      }
	    }
	  }

	  return d[a.length][b.length];
	}

	/**
	 * Find close matches, restricted to same number of edits.
	 *
	 * @param {string} word
	 * @param {string[]} candidates
	 * @returns {string}
	 */

	function suggestSimilar$1(word, candidates) {
	  if (!candidates || candidates.length === 0) return '';
	  // remove possible duplicates
	  candidates = Array.from(new Set(candidates));

	  const searchingOptions = word.startsWith('--');
	  if (searchingOptions) {
	    word = word.slice(2);
	    candidates = candidates.map((candidate) => candidate.slice(2));
	  }

	  let similar = [];
	  let bestDistance = maxDistance;
	  const minSimilarity = 0.4;
	  candidates.forEach((candidate) => {
	    if (candidate.length <= 1) return; // no one character guesses

	    const distance = editDistance(word, candidate);
	    const length = Math.max(word.length, candidate.length);
	    const similarity = (length - distance) / length;
	    if (similarity > minSimilarity) {
	      if (distance < bestDistance) {
	        // better edit distance, throw away previous worse matches
	        bestDistance = distance;
	        similar = [candidate];
	      } else if (distance === bestDistance) {
	        similar.push(candidate);
	      }
	    }
	  });

	  similar.sort((a, b) => a.localeCompare(b));
	  if (searchingOptions) {
	    similar = similar.map((candidate) => `--${candidate}`);
	  }

	  if (similar.length > 1) {
	    return `\n(Did you mean one of ${similar.join(', ')}?)`;
	  }
	  if (similar.length === 1) {
	    return `\n(Did you mean ${similar[0]}?)`;
	  }
	  return '';
	}

	suggestSimilar.suggestSimilar = suggestSimilar$1;
	return suggestSimilar;
}

var hasRequiredCommand;

function requireCommand () {
	if (hasRequiredCommand) return command;
	hasRequiredCommand = 1;
	const EventEmitter = require$$0.EventEmitter;
	const childProcess = require$$1$1;
	const path = require$$1;
	const fs = require$$3;
	const process = require$$4;

	const { Argument, humanReadableArgName } = requireArgument();
	const { CommanderError } = requireError();
	const { Help, stripColor } = requireHelp();
	const { Option, DualOptions } = requireOption();
	const { suggestSimilar } = requireSuggestSimilar();

	class Command extends EventEmitter {
	  /**
	   * Initialize a new `Command`.
	   *
	   * @param {string} [name]
	   */

	  constructor(name) {
	    super();
	    /** @type {Command[]} */
	    this.commands = [];
	    /** @type {Option[]} */
	    this.options = [];
	    this.parent = null;
	    this._allowUnknownOption = false;
	    this._allowExcessArguments = false;
	    /** @type {Argument[]} */
	    this.registeredArguments = [];
	    this._args = this.registeredArguments; // deprecated old name
	    /** @type {string[]} */
	    this.args = []; // cli args with options removed
	    this.rawArgs = [];
	    this.processedArgs = []; // like .args but after custom processing and collecting variadic
	    this._scriptPath = null;
	    this._name = name || '';
	    this._optionValues = {};
	    this._optionValueSources = {}; // default, env, cli etc
	    this._storeOptionsAsProperties = false;
	    this._actionHandler = null;
	    this._executableHandler = false;
	    this._executableFile = null; // custom name for executable
	    this._executableDir = null; // custom search directory for subcommands
	    this._defaultCommandName = null;
	    this._exitCallback = null;
	    this._aliases = [];
	    this._combineFlagAndOptionalValue = true;
	    this._description = '';
	    this._summary = '';
	    this._argsDescription = undefined; // legacy
	    this._enablePositionalOptions = false;
	    this._passThroughOptions = false;
	    this._lifeCycleHooks = {}; // a hash of arrays
	    /** @type {(boolean | string)} */
	    this._showHelpAfterError = false;
	    this._showSuggestionAfterError = true;
	    this._savedState = null; // used in save/restoreStateBeforeParse

	    // see configureOutput() for docs
	    this._outputConfiguration = {
	      writeOut: (str) => process.stdout.write(str),
	      writeErr: (str) => process.stderr.write(str),
	      outputError: (str, write) => write(str),
	      getOutHelpWidth: () =>
	        process.stdout.isTTY ? process.stdout.columns : undefined,
	      getErrHelpWidth: () =>
	        process.stderr.isTTY ? process.stderr.columns : undefined,
	      getOutHasColors: () =>
	        useColor() ?? (process.stdout.isTTY && process.stdout.hasColors?.()),
	      getErrHasColors: () =>
	        useColor() ?? (process.stderr.isTTY && process.stderr.hasColors?.()),
	      stripColor: (str) => stripColor(str),
	    };

	    this._hidden = false;
	    /** @type {(Option | null | undefined)} */
	    this._helpOption = undefined; // Lazy created on demand. May be null if help option is disabled.
	    this._addImplicitHelpCommand = undefined; // undecided whether true or false yet, not inherited
	    /** @type {Command} */
	    this._helpCommand = undefined; // lazy initialised, inherited
	    this._helpConfiguration = {};
	    /** @type {string | undefined} */
	    this._helpGroupHeading = undefined; // soft initialised when added to parent
	    /** @type {string | undefined} */
	    this._defaultCommandGroup = undefined;
	    /** @type {string | undefined} */
	    this._defaultOptionGroup = undefined;
	  }

	  /**
	   * Copy settings that are useful to have in common across root command and subcommands.
	   *
	   * (Used internally when adding a command using `.command()` so subcommands inherit parent settings.)
	   *
	   * @param {Command} sourceCommand
	   * @return {Command} `this` command for chaining
	   */
	  copyInheritedSettings(sourceCommand) {
	    this._outputConfiguration = sourceCommand._outputConfiguration;
	    this._helpOption = sourceCommand._helpOption;
	    this._helpCommand = sourceCommand._helpCommand;
	    this._helpConfiguration = sourceCommand._helpConfiguration;
	    this._exitCallback = sourceCommand._exitCallback;
	    this._storeOptionsAsProperties = sourceCommand._storeOptionsAsProperties;
	    this._combineFlagAndOptionalValue =
	      sourceCommand._combineFlagAndOptionalValue;
	    this._allowExcessArguments = sourceCommand._allowExcessArguments;
	    this._enablePositionalOptions = sourceCommand._enablePositionalOptions;
	    this._showHelpAfterError = sourceCommand._showHelpAfterError;
	    this._showSuggestionAfterError = sourceCommand._showSuggestionAfterError;

	    return this;
	  }

	  /**
	   * @returns {Command[]}
	   * @private
	   */

	  _getCommandAndAncestors() {
	    const result = [];
	    // eslint-disable-next-line @typescript-eslint/no-this-alias
	    for (let command = this; command; command = command.parent) {
	      result.push(command);
	    }
	    return result;
	  }

	  /**
	   * Define a command.
	   *
	   * There are two styles of command: pay attention to where to put the description.
	   *
	   * @example
	   * // Command implemented using action handler (description is supplied separately to `.command`)
	   * program
	   *   .command('clone <source> [destination]')
	   *   .description('clone a repository into a newly created directory')
	   *   .action((source, destination) => {
	   *     console.log('clone command called');
	   *   });
	   *
	   * // Command implemented using separate executable file (description is second parameter to `.command`)
	   * program
	   *   .command('start <service>', 'start named service')
	   *   .command('stop [service]', 'stop named service, or all if no name supplied');
	   *
	   * @param {string} nameAndArgs - command name and arguments, args are `<required>` or `[optional]` and last may also be `variadic...`
	   * @param {(object | string)} [actionOptsOrExecDesc] - configuration options (for action), or description (for executable)
	   * @param {object} [execOpts] - configuration options (for executable)
	   * @return {Command} returns new command for action handler, or `this` for executable command
	   */

	  command(nameAndArgs, actionOptsOrExecDesc, execOpts) {
	    let desc = actionOptsOrExecDesc;
	    let opts = execOpts;
	    if (typeof desc === 'object' && desc !== null) {
	      opts = desc;
	      desc = null;
	    }
	    opts = opts || {};
	    const [, name, args] = nameAndArgs.match(/([^ ]+) *(.*)/);

	    const cmd = this.createCommand(name);
	    if (desc) {
	      cmd.description(desc);
	      cmd._executableHandler = true;
	    }
	    if (opts.isDefault) this._defaultCommandName = cmd._name;
	    cmd._hidden = !!(opts.noHelp || opts.hidden); // noHelp is deprecated old name for hidden
	    cmd._executableFile = opts.executableFile || null; // Custom name for executable file, set missing to null to match constructor
	    if (args) cmd.arguments(args);
	    this._registerCommand(cmd);
	    cmd.parent = this;
	    cmd.copyInheritedSettings(this);

	    if (desc) return this;
	    return cmd;
	  }

	  /**
	   * Factory routine to create a new unattached command.
	   *
	   * See .command() for creating an attached subcommand, which uses this routine to
	   * create the command. You can override createCommand to customise subcommands.
	   *
	   * @param {string} [name]
	   * @return {Command} new command
	   */

	  createCommand(name) {
	    return new Command(name);
	  }

	  /**
	   * You can customise the help with a subclass of Help by overriding createHelp,
	   * or by overriding Help properties using configureHelp().
	   *
	   * @return {Help}
	   */

	  createHelp() {
	    return Object.assign(new Help(), this.configureHelp());
	  }

	  /**
	   * You can customise the help by overriding Help properties using configureHelp(),
	   * or with a subclass of Help by overriding createHelp().
	   *
	   * @param {object} [configuration] - configuration options
	   * @return {(Command | object)} `this` command for chaining, or stored configuration
	   */

	  configureHelp(configuration) {
	    if (configuration === undefined) return this._helpConfiguration;

	    this._helpConfiguration = configuration;
	    return this;
	  }

	  /**
	   * The default output goes to stdout and stderr. You can customise this for special
	   * applications. You can also customise the display of errors by overriding outputError.
	   *
	   * The configuration properties are all functions:
	   *
	   *     // change how output being written, defaults to stdout and stderr
	   *     writeOut(str)
	   *     writeErr(str)
	   *     // change how output being written for errors, defaults to writeErr
	   *     outputError(str, write) // used for displaying errors and not used for displaying help
	   *     // specify width for wrapping help
	   *     getOutHelpWidth()
	   *     getErrHelpWidth()
	   *     // color support, currently only used with Help
	   *     getOutHasColors()
	   *     getErrHasColors()
	   *     stripColor() // used to remove ANSI escape codes if output does not have colors
	   *
	   * @param {object} [configuration] - configuration options
	   * @return {(Command | object)} `this` command for chaining, or stored configuration
	   */

	  configureOutput(configuration) {
	    if (configuration === undefined) return this._outputConfiguration;

	    this._outputConfiguration = {
	      ...this._outputConfiguration,
	      ...configuration,
	    };
	    return this;
	  }

	  /**
	   * Display the help or a custom message after an error occurs.
	   *
	   * @param {(boolean|string)} [displayHelp]
	   * @return {Command} `this` command for chaining
	   */
	  showHelpAfterError(displayHelp = true) {
	    if (typeof displayHelp !== 'string') displayHelp = !!displayHelp;
	    this._showHelpAfterError = displayHelp;
	    return this;
	  }

	  /**
	   * Display suggestion of similar commands for unknown commands, or options for unknown options.
	   *
	   * @param {boolean} [displaySuggestion]
	   * @return {Command} `this` command for chaining
	   */
	  showSuggestionAfterError(displaySuggestion = true) {
	    this._showSuggestionAfterError = !!displaySuggestion;
	    return this;
	  }

	  /**
	   * Add a prepared subcommand.
	   *
	   * See .command() for creating an attached subcommand which inherits settings from its parent.
	   *
	   * @param {Command} cmd - new subcommand
	   * @param {object} [opts] - configuration options
	   * @return {Command} `this` command for chaining
	   */

	  addCommand(cmd, opts) {
	    if (!cmd._name) {
	      throw new Error(`Command passed to .addCommand() must have a name
- specify the name in Command constructor or using .name()`);
	    }

	    opts = opts || {};
	    if (opts.isDefault) this._defaultCommandName = cmd._name;
	    if (opts.noHelp || opts.hidden) cmd._hidden = true; // modifying passed command due to existing implementation

	    this._registerCommand(cmd);
	    cmd.parent = this;
	    cmd._checkForBrokenPassThrough();

	    return this;
	  }

	  /**
	   * Factory routine to create a new unattached argument.
	   *
	   * See .argument() for creating an attached argument, which uses this routine to
	   * create the argument. You can override createArgument to return a custom argument.
	   *
	   * @param {string} name
	   * @param {string} [description]
	   * @return {Argument} new argument
	   */

	  createArgument(name, description) {
	    return new Argument(name, description);
	  }

	  /**
	   * Define argument syntax for command.
	   *
	   * The default is that the argument is required, and you can explicitly
	   * indicate this with <> around the name. Put [] around the name for an optional argument.
	   *
	   * @example
	   * program.argument('<input-file>');
	   * program.argument('[output-file]');
	   *
	   * @param {string} name
	   * @param {string} [description]
	   * @param {(Function|*)} [parseArg] - custom argument processing function or default value
	   * @param {*} [defaultValue]
	   * @return {Command} `this` command for chaining
	   */
	  argument(name, description, parseArg, defaultValue) {
	    const argument = this.createArgument(name, description);
	    if (typeof parseArg === 'function') {
	      argument.default(defaultValue).argParser(parseArg);
	    } else {
	      argument.default(parseArg);
	    }
	    this.addArgument(argument);
	    return this;
	  }

	  /**
	   * Define argument syntax for command, adding multiple at once (without descriptions).
	   *
	   * See also .argument().
	   *
	   * @example
	   * program.arguments('<cmd> [env]');
	   *
	   * @param {string} names
	   * @return {Command} `this` command for chaining
	   */

	  arguments(names) {
	    names
	      .trim()
	      .split(/ +/)
	      .forEach((detail) => {
	        this.argument(detail);
	      });
	    return this;
	  }

	  /**
	   * Define argument syntax for command, adding a prepared argument.
	   *
	   * @param {Argument} argument
	   * @return {Command} `this` command for chaining
	   */
	  addArgument(argument) {
	    const previousArgument = this.registeredArguments.slice(-1)[0];
	    if (previousArgument?.variadic) {
	      throw new Error(
	        `only the last argument can be variadic '${previousArgument.name()}'`,
	      );
	    }
	    if (
	      argument.required &&
	      argument.defaultValue !== undefined &&
	      argument.parseArg === undefined
	    ) {
	      throw new Error(
	        `a default value for a required argument is never used: '${argument.name()}'`,
	      );
	    }
	    this.registeredArguments.push(argument);
	    return this;
	  }

	  /**
	   * Customise or override default help command. By default a help command is automatically added if your command has subcommands.
	   *
	   * @example
	   *    program.helpCommand('help [cmd]');
	   *    program.helpCommand('help [cmd]', 'show help');
	   *    program.helpCommand(false); // suppress default help command
	   *    program.helpCommand(true); // add help command even if no subcommands
	   *
	   * @param {string|boolean} enableOrNameAndArgs - enable with custom name and/or arguments, or boolean to override whether added
	   * @param {string} [description] - custom description
	   * @return {Command} `this` command for chaining
	   */

	  helpCommand(enableOrNameAndArgs, description) {
	    if (typeof enableOrNameAndArgs === 'boolean') {
	      this._addImplicitHelpCommand = enableOrNameAndArgs;
	      if (enableOrNameAndArgs && this._defaultCommandGroup) {
	        // make the command to store the group
	        this._initCommandGroup(this._getHelpCommand());
	      }
	      return this;
	    }

	    const nameAndArgs = enableOrNameAndArgs ?? 'help [command]';
	    const [, helpName, helpArgs] = nameAndArgs.match(/([^ ]+) *(.*)/);
	    const helpDescription = description ?? 'display help for command';

	    const helpCommand = this.createCommand(helpName);
	    helpCommand.helpOption(false);
	    if (helpArgs) helpCommand.arguments(helpArgs);
	    if (helpDescription) helpCommand.description(helpDescription);

	    this._addImplicitHelpCommand = true;
	    this._helpCommand = helpCommand;
	    // init group unless lazy create
	    if (enableOrNameAndArgs || description) this._initCommandGroup(helpCommand);

	    return this;
	  }

	  /**
	   * Add prepared custom help command.
	   *
	   * @param {(Command|string|boolean)} helpCommand - custom help command, or deprecated enableOrNameAndArgs as for `.helpCommand()`
	   * @param {string} [deprecatedDescription] - deprecated custom description used with custom name only
	   * @return {Command} `this` command for chaining
	   */
	  addHelpCommand(helpCommand, deprecatedDescription) {
	    // If not passed an object, call through to helpCommand for backwards compatibility,
	    // as addHelpCommand was originally used like helpCommand is now.
	    if (typeof helpCommand !== 'object') {
	      this.helpCommand(helpCommand, deprecatedDescription);
	      return this;
	    }

	    this._addImplicitHelpCommand = true;
	    this._helpCommand = helpCommand;
	    this._initCommandGroup(helpCommand);
	    return this;
	  }

	  /**
	   * Lazy create help command.
	   *
	   * @return {(Command|null)}
	   * @package
	   */
	  _getHelpCommand() {
	    const hasImplicitHelpCommand =
	      this._addImplicitHelpCommand ??
	      (this.commands.length &&
	        !this._actionHandler &&
	        !this._findCommand('help'));

	    if (hasImplicitHelpCommand) {
	      if (this._helpCommand === undefined) {
	        this.helpCommand(undefined, undefined); // use default name and description
	      }
	      return this._helpCommand;
	    }
	    return null;
	  }

	  /**
	   * Add hook for life cycle event.
	   *
	   * @param {string} event
	   * @param {Function} listener
	   * @return {Command} `this` command for chaining
	   */

	  hook(event, listener) {
	    const allowedValues = ['preSubcommand', 'preAction', 'postAction'];
	    if (!allowedValues.includes(event)) {
	      throw new Error(`Unexpected value for event passed to hook : '${event}'.
Expecting one of '${allowedValues.join("', '")}'`);
	    }
	    if (this._lifeCycleHooks[event]) {
	      this._lifeCycleHooks[event].push(listener);
	    } else {
	      this._lifeCycleHooks[event] = [listener];
	    }
	    return this;
	  }

	  /**
	   * Register callback to use as replacement for calling process.exit.
	   *
	   * @param {Function} [fn] optional callback which will be passed a CommanderError, defaults to throwing
	   * @return {Command} `this` command for chaining
	   */

	  exitOverride(fn) {
	    if (fn) {
	      this._exitCallback = fn;
	    } else {
	      this._exitCallback = (err) => {
	        if (err.code !== 'commander.executeSubCommandAsync') {
	          throw err;
	        }
	      };
	    }
	    return this;
	  }

	  /**
	   * Call process.exit, and _exitCallback if defined.
	   *
	   * @param {number} exitCode exit code for using with process.exit
	   * @param {string} code an id string representing the error
	   * @param {string} message human-readable description of the error
	   * @return never
	   * @private
	   */

	  _exit(exitCode, code, message) {
	    if (this._exitCallback) {
	      this._exitCallback(new CommanderError(exitCode, code, message));
	      // Expecting this line is not reached.
	    }
	    process.exit(exitCode);
	  }

	  /**
	   * Register callback `fn` for the command.
	   *
	   * @example
	   * program
	   *   .command('serve')
	   *   .description('start service')
	   *   .action(function() {
	   *      // do work here
	   *   });
	   *
	   * @param {Function} fn
	   * @return {Command} `this` command for chaining
	   */

	  action(fn) {
	    const listener = (args) => {
	      // The .action callback takes an extra parameter which is the command or options.
	      const expectedArgsCount = this.registeredArguments.length;
	      const actionArgs = args.slice(0, expectedArgsCount);
	      if (this._storeOptionsAsProperties) {
	        actionArgs[expectedArgsCount] = this; // backwards compatible "options"
	      } else {
	        actionArgs[expectedArgsCount] = this.opts();
	      }
	      actionArgs.push(this);

	      return fn.apply(this, actionArgs);
	    };
	    this._actionHandler = listener;
	    return this;
	  }

	  /**
	   * Factory routine to create a new unattached option.
	   *
	   * See .option() for creating an attached option, which uses this routine to
	   * create the option. You can override createOption to return a custom option.
	   *
	   * @param {string} flags
	   * @param {string} [description]
	   * @return {Option} new option
	   */

	  createOption(flags, description) {
	    return new Option(flags, description);
	  }

	  /**
	   * Wrap parseArgs to catch 'commander.invalidArgument'.
	   *
	   * @param {(Option | Argument)} target
	   * @param {string} value
	   * @param {*} previous
	   * @param {string} invalidArgumentMessage
	   * @private
	   */

	  _callParseArg(target, value, previous, invalidArgumentMessage) {
	    try {
	      return target.parseArg(value, previous);
	    } catch (err) {
	      if (err.code === 'commander.invalidArgument') {
	        const message = `${invalidArgumentMessage} ${err.message}`;
	        this.error(message, { exitCode: err.exitCode, code: err.code });
	      }
	      throw err;
	    }
	  }

	  /**
	   * Check for option flag conflicts.
	   * Register option if no conflicts found, or throw on conflict.
	   *
	   * @param {Option} option
	   * @private
	   */

	  _registerOption(option) {
	    const matchingOption =
	      (option.short && this._findOption(option.short)) ||
	      (option.long && this._findOption(option.long));
	    if (matchingOption) {
	      const matchingFlag =
	        option.long && this._findOption(option.long)
	          ? option.long
	          : option.short;
	      throw new Error(`Cannot add option '${option.flags}'${this._name && ` to command '${this._name}'`} due to conflicting flag '${matchingFlag}'
-  already used by option '${matchingOption.flags}'`);
	    }

	    this._initOptionGroup(option);
	    this.options.push(option);
	  }

	  /**
	   * Check for command name and alias conflicts with existing commands.
	   * Register command if no conflicts found, or throw on conflict.
	   *
	   * @param {Command} command
	   * @private
	   */

	  _registerCommand(command) {
	    const knownBy = (cmd) => {
	      return [cmd.name()].concat(cmd.aliases());
	    };

	    const alreadyUsed = knownBy(command).find((name) =>
	      this._findCommand(name),
	    );
	    if (alreadyUsed) {
	      const existingCmd = knownBy(this._findCommand(alreadyUsed)).join('|');
	      const newCmd = knownBy(command).join('|');
	      throw new Error(
	        `cannot add command '${newCmd}' as already have command '${existingCmd}'`,
	      );
	    }

	    this._initCommandGroup(command);
	    this.commands.push(command);
	  }

	  /**
	   * Add an option.
	   *
	   * @param {Option} option
	   * @return {Command} `this` command for chaining
	   */
	  addOption(option) {
	    this._registerOption(option);

	    const oname = option.name();
	    const name = option.attributeName();

	    // store default value
	    if (option.negate) {
	      // --no-foo is special and defaults foo to true, unless a --foo option is already defined
	      const positiveLongFlag = option.long.replace(/^--no-/, '--');
	      if (!this._findOption(positiveLongFlag)) {
	        this.setOptionValueWithSource(
	          name,
	          option.defaultValue === undefined ? true : option.defaultValue,
	          'default',
	        );
	      }
	    } else if (option.defaultValue !== undefined) {
	      this.setOptionValueWithSource(name, option.defaultValue, 'default');
	    }

	    // handler for cli and env supplied values
	    const handleOptionValue = (val, invalidValueMessage, valueSource) => {
	      // val is null for optional option used without an optional-argument.
	      // val is undefined for boolean and negated option.
	      if (val == null && option.presetArg !== undefined) {
	        val = option.presetArg;
	      }

	      // custom processing
	      const oldValue = this.getOptionValue(name);
	      if (val !== null && option.parseArg) {
	        val = this._callParseArg(option, val, oldValue, invalidValueMessage);
	      } else if (val !== null && option.variadic) {
	        val = option._collectValue(val, oldValue);
	      }

	      // Fill-in appropriate missing values. Long winded but easy to follow.
	      if (val == null) {
	        if (option.negate) {
	          val = false;
	        } else if (option.isBoolean() || option.optional) {
	          val = true;
	        } else {
	          val = ''; // not normal, parseArg might have failed or be a mock function for testing
	        }
	      }
	      this.setOptionValueWithSource(name, val, valueSource);
	    };

	    this.on('option:' + oname, (val) => {
	      const invalidValueMessage = `error: option '${option.flags}' argument '${val}' is invalid.`;
	      handleOptionValue(val, invalidValueMessage, 'cli');
	    });

	    if (option.envVar) {
	      this.on('optionEnv:' + oname, (val) => {
	        const invalidValueMessage = `error: option '${option.flags}' value '${val}' from env '${option.envVar}' is invalid.`;
	        handleOptionValue(val, invalidValueMessage, 'env');
	      });
	    }

	    return this;
	  }

	  /**
	   * Internal implementation shared by .option() and .requiredOption()
	   *
	   * @return {Command} `this` command for chaining
	   * @private
	   */
	  _optionEx(config, flags, description, fn, defaultValue) {
	    if (typeof flags === 'object' && flags instanceof Option) {
	      throw new Error(
	        'To add an Option object use addOption() instead of option() or requiredOption()',
	      );
	    }
	    const option = this.createOption(flags, description);
	    option.makeOptionMandatory(!!config.mandatory);
	    if (typeof fn === 'function') {
	      option.default(defaultValue).argParser(fn);
	    } else if (fn instanceof RegExp) {
	      // deprecated
	      const regex = fn;
	      fn = (val, def) => {
	        const m = regex.exec(val);
	        return m ? m[0] : def;
	      };
	      option.default(defaultValue).argParser(fn);
	    } else {
	      option.default(fn);
	    }

	    return this.addOption(option);
	  }

	  /**
	   * Define option with `flags`, `description`, and optional argument parsing function or `defaultValue` or both.
	   *
	   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space. A required
	   * option-argument is indicated by `<>` and an optional option-argument by `[]`.
	   *
	   * See the README for more details, and see also addOption() and requiredOption().
	   *
	   * @example
	   * program
	   *     .option('-p, --pepper', 'add pepper')
	   *     .option('--pt, --pizza-type <TYPE>', 'type of pizza') // required option-argument
	   *     .option('-c, --cheese [CHEESE]', 'add extra cheese', 'mozzarella') // optional option-argument with default
	   *     .option('-t, --tip <VALUE>', 'add tip to purchase cost', parseFloat) // custom parse function
	   *
	   * @param {string} flags
	   * @param {string} [description]
	   * @param {(Function|*)} [parseArg] - custom option processing function or default value
	   * @param {*} [defaultValue]
	   * @return {Command} `this` command for chaining
	   */

	  option(flags, description, parseArg, defaultValue) {
	    return this._optionEx({}, flags, description, parseArg, defaultValue);
	  }

	  /**
	   * Add a required option which must have a value after parsing. This usually means
	   * the option must be specified on the command line. (Otherwise the same as .option().)
	   *
	   * The `flags` string contains the short and/or long flags, separated by comma, a pipe or space.
	   *
	   * @param {string} flags
	   * @param {string} [description]
	   * @param {(Function|*)} [parseArg] - custom option processing function or default value
	   * @param {*} [defaultValue]
	   * @return {Command} `this` command for chaining
	   */

	  requiredOption(flags, description, parseArg, defaultValue) {
	    return this._optionEx(
	      { mandatory: true },
	      flags,
	      description,
	      parseArg,
	      defaultValue,
	    );
	  }

	  /**
	   * Alter parsing of short flags with optional values.
	   *
	   * @example
	   * // for `.option('-f,--flag [value]'):
	   * program.combineFlagAndOptionalValue(true);  // `-f80` is treated like `--flag=80`, this is the default behaviour
	   * program.combineFlagAndOptionalValue(false) // `-fb` is treated like `-f -b`
	   *
	   * @param {boolean} [combine] - if `true` or omitted, an optional value can be specified directly after the flag.
	   * @return {Command} `this` command for chaining
	   */
	  combineFlagAndOptionalValue(combine = true) {
	    this._combineFlagAndOptionalValue = !!combine;
	    return this;
	  }

	  /**
	   * Allow unknown options on the command line.
	   *
	   * @param {boolean} [allowUnknown] - if `true` or omitted, no error will be thrown for unknown options.
	   * @return {Command} `this` command for chaining
	   */
	  allowUnknownOption(allowUnknown = true) {
	    this._allowUnknownOption = !!allowUnknown;
	    return this;
	  }

	  /**
	   * Allow excess command-arguments on the command line. Pass false to make excess arguments an error.
	   *
	   * @param {boolean} [allowExcess] - if `true` or omitted, no error will be thrown for excess arguments.
	   * @return {Command} `this` command for chaining
	   */
	  allowExcessArguments(allowExcess = true) {
	    this._allowExcessArguments = !!allowExcess;
	    return this;
	  }

	  /**
	   * Enable positional options. Positional means global options are specified before subcommands which lets
	   * subcommands reuse the same option names, and also enables subcommands to turn on passThroughOptions.
	   * The default behaviour is non-positional and global options may appear anywhere on the command line.
	   *
	   * @param {boolean} [positional]
	   * @return {Command} `this` command for chaining
	   */
	  enablePositionalOptions(positional = true) {
	    this._enablePositionalOptions = !!positional;
	    return this;
	  }

	  /**
	   * Pass through options that come after command-arguments rather than treat them as command-options,
	   * so actual command-options come before command-arguments. Turning this on for a subcommand requires
	   * positional options to have been enabled on the program (parent commands).
	   * The default behaviour is non-positional and options may appear before or after command-arguments.
	   *
	   * @param {boolean} [passThrough] for unknown options.
	   * @return {Command} `this` command for chaining
	   */
	  passThroughOptions(passThrough = true) {
	    this._passThroughOptions = !!passThrough;
	    this._checkForBrokenPassThrough();
	    return this;
	  }

	  /**
	   * @private
	   */

	  _checkForBrokenPassThrough() {
	    if (
	      this.parent &&
	      this._passThroughOptions &&
	      !this.parent._enablePositionalOptions
	    ) {
	      throw new Error(
	        `passThroughOptions cannot be used for '${this._name}' without turning on enablePositionalOptions for parent command(s)`,
	      );
	    }
	  }

	  /**
	   * Whether to store option values as properties on command object,
	   * or store separately (specify false). In both cases the option values can be accessed using .opts().
	   *
	   * @param {boolean} [storeAsProperties=true]
	   * @return {Command} `this` command for chaining
	   */

	  storeOptionsAsProperties(storeAsProperties = true) {
	    if (this.options.length) {
	      throw new Error('call .storeOptionsAsProperties() before adding options');
	    }
	    if (Object.keys(this._optionValues).length) {
	      throw new Error(
	        'call .storeOptionsAsProperties() before setting option values',
	      );
	    }
	    this._storeOptionsAsProperties = !!storeAsProperties;
	    return this;
	  }

	  /**
	   * Retrieve option value.
	   *
	   * @param {string} key
	   * @return {object} value
	   */

	  getOptionValue(key) {
	    if (this._storeOptionsAsProperties) {
	      return this[key];
	    }
	    return this._optionValues[key];
	  }

	  /**
	   * Store option value.
	   *
	   * @param {string} key
	   * @param {object} value
	   * @return {Command} `this` command for chaining
	   */

	  setOptionValue(key, value) {
	    return this.setOptionValueWithSource(key, value, undefined);
	  }

	  /**
	   * Store option value and where the value came from.
	   *
	   * @param {string} key
	   * @param {object} value
	   * @param {string} source - expected values are default/config/env/cli/implied
	   * @return {Command} `this` command for chaining
	   */

	  setOptionValueWithSource(key, value, source) {
	    if (this._storeOptionsAsProperties) {
	      this[key] = value;
	    } else {
	      this._optionValues[key] = value;
	    }
	    this._optionValueSources[key] = source;
	    return this;
	  }

	  /**
	   * Get source of option value.
	   * Expected values are default | config | env | cli | implied
	   *
	   * @param {string} key
	   * @return {string}
	   */

	  getOptionValueSource(key) {
	    return this._optionValueSources[key];
	  }

	  /**
	   * Get source of option value. See also .optsWithGlobals().
	   * Expected values are default | config | env | cli | implied
	   *
	   * @param {string} key
	   * @return {string}
	   */

	  getOptionValueSourceWithGlobals(key) {
	    // global overwrites local, like optsWithGlobals
	    let source;
	    this._getCommandAndAncestors().forEach((cmd) => {
	      if (cmd.getOptionValueSource(key) !== undefined) {
	        source = cmd.getOptionValueSource(key);
	      }
	    });
	    return source;
	  }

	  /**
	   * Get user arguments from implied or explicit arguments.
	   * Side-effects: set _scriptPath if args included script. Used for default program name, and subcommand searches.
	   *
	   * @private
	   */

	  _prepareUserArgs(argv, parseOptions) {
	    if (argv !== undefined && !Array.isArray(argv)) {
	      throw new Error('first parameter to parse must be array or undefined');
	    }
	    parseOptions = parseOptions || {};

	    // auto-detect argument conventions if nothing supplied
	    if (argv === undefined && parseOptions.from === undefined) {
	      if (process.versions?.electron) {
	        parseOptions.from = 'electron';
	      }
	      // check node specific options for scenarios where user CLI args follow executable without scriptname
	      const execArgv = process.execArgv ?? [];
	      if (
	        execArgv.includes('-e') ||
	        execArgv.includes('--eval') ||
	        execArgv.includes('-p') ||
	        execArgv.includes('--print')
	      ) {
	        parseOptions.from = 'eval'; // internal usage, not documented
	      }
	    }

	    // default to using process.argv
	    if (argv === undefined) {
	      argv = process.argv;
	    }
	    this.rawArgs = argv.slice();

	    // extract the user args and scriptPath
	    let userArgs;
	    switch (parseOptions.from) {
	      case undefined:
	      case 'node':
	        this._scriptPath = argv[1];
	        userArgs = argv.slice(2);
	        break;
	      case 'electron':
	        // @ts-ignore: because defaultApp is an unknown property
	        if (process.defaultApp) {
	          this._scriptPath = argv[1];
	          userArgs = argv.slice(2);
	        } else {
	          userArgs = argv.slice(1);
	        }
	        break;
	      case 'user':
	        userArgs = argv.slice(0);
	        break;
	      case 'eval':
	        userArgs = argv.slice(1);
	        break;
	      default:
	        throw new Error(
	          `unexpected parse option { from: '${parseOptions.from}' }`,
	        );
	    }

	    // Find default name for program from arguments.
	    if (!this._name && this._scriptPath)
	      this.nameFromFilename(this._scriptPath);
	    this._name = this._name || 'program';

	    return userArgs;
	  }

	  /**
	   * Parse `argv`, setting options and invoking commands when defined.
	   *
	   * Use parseAsync instead of parse if any of your action handlers are async.
	   *
	   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
	   *
	   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
	   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
	   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
	   * - `'user'`: just user arguments
	   *
	   * @example
	   * program.parse(); // parse process.argv and auto-detect electron and special node flags
	   * program.parse(process.argv); // assume argv[0] is app and argv[1] is script
	   * program.parse(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
	   *
	   * @param {string[]} [argv] - optional, defaults to process.argv
	   * @param {object} [parseOptions] - optionally specify style of options with from: node/user/electron
	   * @param {string} [parseOptions.from] - where the args are from: 'node', 'user', 'electron'
	   * @return {Command} `this` command for chaining
	   */

	  parse(argv, parseOptions) {
	    this._prepareForParse();
	    const userArgs = this._prepareUserArgs(argv, parseOptions);
	    this._parseCommand([], userArgs);

	    return this;
	  }

	  /**
	   * Parse `argv`, setting options and invoking commands when defined.
	   *
	   * Call with no parameters to parse `process.argv`. Detects Electron and special node options like `node --eval`. Easy mode!
	   *
	   * Or call with an array of strings to parse, and optionally where the user arguments start by specifying where the arguments are `from`:
	   * - `'node'`: default, `argv[0]` is the application and `argv[1]` is the script being run, with user arguments after that
	   * - `'electron'`: `argv[0]` is the application and `argv[1]` varies depending on whether the electron application is packaged
	   * - `'user'`: just user arguments
	   *
	   * @example
	   * await program.parseAsync(); // parse process.argv and auto-detect electron and special node flags
	   * await program.parseAsync(process.argv); // assume argv[0] is app and argv[1] is script
	   * await program.parseAsync(my-args, { from: 'user' }); // just user supplied arguments, nothing special about argv[0]
	   *
	   * @param {string[]} [argv]
	   * @param {object} [parseOptions]
	   * @param {string} parseOptions.from - where the args are from: 'node', 'user', 'electron'
	   * @return {Promise}
	   */

	  async parseAsync(argv, parseOptions) {
	    this._prepareForParse();
	    const userArgs = this._prepareUserArgs(argv, parseOptions);
	    await this._parseCommand([], userArgs);

	    return this;
	  }

	  _prepareForParse() {
	    if (this._savedState === null) {
	      this.saveStateBeforeParse();
	    } else {
	      this.restoreStateBeforeParse();
	    }
	  }

	  /**
	   * Called the first time parse is called to save state and allow a restore before subsequent calls to parse.
	   * Not usually called directly, but available for subclasses to save their custom state.
	   *
	   * This is called in a lazy way. Only commands used in parsing chain will have state saved.
	   */
	  saveStateBeforeParse() {
	    this._savedState = {
	      // name is stable if supplied by author, but may be unspecified for root command and deduced during parsing
	      _name: this._name,
	      // option values before parse have default values (including false for negated options)
	      // shallow clones
	      _optionValues: { ...this._optionValues },
	      _optionValueSources: { ...this._optionValueSources },
	    };
	  }

	  /**
	   * Restore state before parse for calls after the first.
	   * Not usually called directly, but available for subclasses to save their custom state.
	   *
	   * This is called in a lazy way. Only commands used in parsing chain will have state restored.
	   */
	  restoreStateBeforeParse() {
	    if (this._storeOptionsAsProperties)
	      throw new Error(`Can not call parse again when storeOptionsAsProperties is true.
- either make a new Command for each call to parse, or stop storing options as properties`);

	    // clear state from _prepareUserArgs
	    this._name = this._savedState._name;
	    this._scriptPath = null;
	    this.rawArgs = [];
	    // clear state from setOptionValueWithSource
	    this._optionValues = { ...this._savedState._optionValues };
	    this._optionValueSources = { ...this._savedState._optionValueSources };
	    // clear state from _parseCommand
	    this.args = [];
	    // clear state from _processArguments
	    this.processedArgs = [];
	  }

	  /**
	   * Throw if expected executable is missing. Add lots of help for author.
	   *
	   * @param {string} executableFile
	   * @param {string} executableDir
	   * @param {string} subcommandName
	   */
	  _checkForMissingExecutable(executableFile, executableDir, subcommandName) {
	    if (fs.existsSync(executableFile)) return;

	    const executableDirMessage = executableDir
	      ? `searched for local subcommand relative to directory '${executableDir}'`
	      : 'no directory for search for local subcommand, use .executableDir() to supply a custom directory';
	    const executableMissing = `'${executableFile}' does not exist
 - if '${subcommandName}' is not meant to be an executable command, remove description parameter from '.command()' and use '.description()' instead
 - if the default executable name is not suitable, use the executableFile option to supply a custom name or path
 - ${executableDirMessage}`;
	    throw new Error(executableMissing);
	  }

	  /**
	   * Execute a sub-command executable.
	   *
	   * @private
	   */

	  _executeSubCommand(subcommand, args) {
	    args = args.slice();
	    let launchWithNode = false; // Use node for source targets so do not need to get permissions correct, and on Windows.
	    const sourceExt = ['.js', '.ts', '.tsx', '.mjs', '.cjs'];

	    function findFile(baseDir, baseName) {
	      // Look for specified file
	      const localBin = path.resolve(baseDir, baseName);
	      if (fs.existsSync(localBin)) return localBin;

	      // Stop looking if candidate already has an expected extension.
	      if (sourceExt.includes(path.extname(baseName))) return undefined;

	      // Try all the extensions.
	      const foundExt = sourceExt.find((ext) =>
	        fs.existsSync(`${localBin}${ext}`),
	      );
	      if (foundExt) return `${localBin}${foundExt}`;

	      return undefined;
	    }

	    // Not checking for help first. Unlikely to have mandatory and executable, and can't robustly test for help flags in external command.
	    this._checkForMissingMandatoryOptions();
	    this._checkForConflictingOptions();

	    // executableFile and executableDir might be full path, or just a name
	    let executableFile =
	      subcommand._executableFile || `${this._name}-${subcommand._name}`;
	    let executableDir = this._executableDir || '';
	    if (this._scriptPath) {
	      let resolvedScriptPath; // resolve possible symlink for installed npm binary
	      try {
	        resolvedScriptPath = fs.realpathSync(this._scriptPath);
	      } catch {
	        resolvedScriptPath = this._scriptPath;
	      }
	      executableDir = path.resolve(
	        path.dirname(resolvedScriptPath),
	        executableDir,
	      );
	    }

	    // Look for a local file in preference to a command in PATH.
	    if (executableDir) {
	      let localFile = findFile(executableDir, executableFile);

	      // Legacy search using prefix of script name instead of command name
	      if (!localFile && !subcommand._executableFile && this._scriptPath) {
	        const legacyName = path.basename(
	          this._scriptPath,
	          path.extname(this._scriptPath),
	        );
	        if (legacyName !== this._name) {
	          localFile = findFile(
	            executableDir,
	            `${legacyName}-${subcommand._name}`,
	          );
	        }
	      }
	      executableFile = localFile || executableFile;
	    }

	    launchWithNode = sourceExt.includes(path.extname(executableFile));

	    let proc;
	    if (process.platform !== 'win32') {
	      if (launchWithNode) {
	        args.unshift(executableFile);
	        // add executable arguments to spawn
	        args = incrementNodeInspectorPort(process.execArgv).concat(args);

	        proc = childProcess.spawn(process.argv[0], args, { stdio: 'inherit' });
	      } else {
	        proc = childProcess.spawn(executableFile, args, { stdio: 'inherit' });
	      }
	    } else {
	      this._checkForMissingExecutable(
	        executableFile,
	        executableDir,
	        subcommand._name,
	      );
	      args.unshift(executableFile);
	      // add executable arguments to spawn
	      args = incrementNodeInspectorPort(process.execArgv).concat(args);
	      proc = childProcess.spawn(process.execPath, args, { stdio: 'inherit' });
	    }

	    if (!proc.killed) {
	      // testing mainly to avoid leak warnings during unit tests with mocked spawn
	      const signals = ['SIGUSR1', 'SIGUSR2', 'SIGTERM', 'SIGINT', 'SIGHUP'];
	      signals.forEach((signal) => {
	        process.on(signal, () => {
	          if (proc.killed === false && proc.exitCode === null) {
	            // @ts-ignore because signals not typed to known strings
	            proc.kill(signal);
	          }
	        });
	      });
	    }

	    // By default terminate process when spawned process terminates.
	    const exitCallback = this._exitCallback;
	    proc.on('close', (code) => {
	      code = code ?? 1; // code is null if spawned process terminated due to a signal
	      if (!exitCallback) {
	        process.exit(code);
	      } else {
	        exitCallback(
	          new CommanderError(
	            code,
	            'commander.executeSubCommandAsync',
	            '(close)',
	          ),
	        );
	      }
	    });
	    proc.on('error', (err) => {
	      // @ts-ignore: because err.code is an unknown property
	      if (err.code === 'ENOENT') {
	        this._checkForMissingExecutable(
	          executableFile,
	          executableDir,
	          subcommand._name,
	        );
	        // @ts-ignore: because err.code is an unknown property
	      } else if (err.code === 'EACCES') {
	        throw new Error(`'${executableFile}' not executable`);
	      }
	      if (!exitCallback) {
	        process.exit(1);
	      } else {
	        const wrappedError = new CommanderError(
	          1,
	          'commander.executeSubCommandAsync',
	          '(error)',
	        );
	        wrappedError.nestedError = err;
	        exitCallback(wrappedError);
	      }
	    });

	    // Store the reference to the child process
	    this.runningCommand = proc;
	  }

	  /**
	   * @private
	   */

	  _dispatchSubcommand(commandName, operands, unknown) {
	    const subCommand = this._findCommand(commandName);
	    if (!subCommand) this.help({ error: true });

	    subCommand._prepareForParse();
	    let promiseChain;
	    promiseChain = this._chainOrCallSubCommandHook(
	      promiseChain,
	      subCommand,
	      'preSubcommand',
	    );
	    promiseChain = this._chainOrCall(promiseChain, () => {
	      if (subCommand._executableHandler) {
	        this._executeSubCommand(subCommand, operands.concat(unknown));
	      } else {
	        return subCommand._parseCommand(operands, unknown);
	      }
	    });
	    return promiseChain;
	  }

	  /**
	   * Invoke help directly if possible, or dispatch if necessary.
	   * e.g. help foo
	   *
	   * @private
	   */

	  _dispatchHelpCommand(subcommandName) {
	    if (!subcommandName) {
	      this.help();
	    }
	    const subCommand = this._findCommand(subcommandName);
	    if (subCommand && !subCommand._executableHandler) {
	      subCommand.help();
	    }

	    // Fallback to parsing the help flag to invoke the help.
	    return this._dispatchSubcommand(
	      subcommandName,
	      [],
	      [this._getHelpOption()?.long ?? this._getHelpOption()?.short ?? '--help'],
	    );
	  }

	  /**
	   * Check this.args against expected this.registeredArguments.
	   *
	   * @private
	   */

	  _checkNumberOfArguments() {
	    // too few
	    this.registeredArguments.forEach((arg, i) => {
	      if (arg.required && this.args[i] == null) {
	        this.missingArgument(arg.name());
	      }
	    });
	    // too many
	    if (
	      this.registeredArguments.length > 0 &&
	      this.registeredArguments[this.registeredArguments.length - 1].variadic
	    ) {
	      return;
	    }
	    if (this.args.length > this.registeredArguments.length) {
	      this._excessArguments(this.args);
	    }
	  }

	  /**
	   * Process this.args using this.registeredArguments and save as this.processedArgs!
	   *
	   * @private
	   */

	  _processArguments() {
	    const myParseArg = (argument, value, previous) => {
	      // Extra processing for nice error message on parsing failure.
	      let parsedValue = value;
	      if (value !== null && argument.parseArg) {
	        const invalidValueMessage = `error: command-argument value '${value}' is invalid for argument '${argument.name()}'.`;
	        parsedValue = this._callParseArg(
	          argument,
	          value,
	          previous,
	          invalidValueMessage,
	        );
	      }
	      return parsedValue;
	    };

	    this._checkNumberOfArguments();

	    const processedArgs = [];
	    this.registeredArguments.forEach((declaredArg, index) => {
	      let value = declaredArg.defaultValue;
	      if (declaredArg.variadic) {
	        // Collect together remaining arguments for passing together as an array.
	        if (index < this.args.length) {
	          value = this.args.slice(index);
	          if (declaredArg.parseArg) {
	            value = value.reduce((processed, v) => {
	              return myParseArg(declaredArg, v, processed);
	            }, declaredArg.defaultValue);
	          }
	        } else if (value === undefined) {
	          value = [];
	        }
	      } else if (index < this.args.length) {
	        value = this.args[index];
	        if (declaredArg.parseArg) {
	          value = myParseArg(declaredArg, value, declaredArg.defaultValue);
	        }
	      }
	      processedArgs[index] = value;
	    });
	    this.processedArgs = processedArgs;
	  }

	  /**
	   * Once we have a promise we chain, but call synchronously until then.
	   *
	   * @param {(Promise|undefined)} promise
	   * @param {Function} fn
	   * @return {(Promise|undefined)}
	   * @private
	   */

	  _chainOrCall(promise, fn) {
	    // thenable
	    if (promise?.then && typeof promise.then === 'function') {
	      // already have a promise, chain callback
	      return promise.then(() => fn());
	    }
	    // callback might return a promise
	    return fn();
	  }

	  /**
	   *
	   * @param {(Promise|undefined)} promise
	   * @param {string} event
	   * @return {(Promise|undefined)}
	   * @private
	   */

	  _chainOrCallHooks(promise, event) {
	    let result = promise;
	    const hooks = [];
	    this._getCommandAndAncestors()
	      .reverse()
	      .filter((cmd) => cmd._lifeCycleHooks[event] !== undefined)
	      .forEach((hookedCommand) => {
	        hookedCommand._lifeCycleHooks[event].forEach((callback) => {
	          hooks.push({ hookedCommand, callback });
	        });
	      });
	    if (event === 'postAction') {
	      hooks.reverse();
	    }

	    hooks.forEach((hookDetail) => {
	      result = this._chainOrCall(result, () => {
	        return hookDetail.callback(hookDetail.hookedCommand, this);
	      });
	    });
	    return result;
	  }

	  /**
	   *
	   * @param {(Promise|undefined)} promise
	   * @param {Command} subCommand
	   * @param {string} event
	   * @return {(Promise|undefined)}
	   * @private
	   */

	  _chainOrCallSubCommandHook(promise, subCommand, event) {
	    let result = promise;
	    if (this._lifeCycleHooks[event] !== undefined) {
	      this._lifeCycleHooks[event].forEach((hook) => {
	        result = this._chainOrCall(result, () => {
	          return hook(this, subCommand);
	        });
	      });
	    }
	    return result;
	  }

	  /**
	   * Process arguments in context of this command.
	   * Returns action result, in case it is a promise.
	   *
	   * @private
	   */

	  _parseCommand(operands, unknown) {
	    const parsed = this.parseOptions(unknown);
	    this._parseOptionsEnv(); // after cli, so parseArg not called on both cli and env
	    this._parseOptionsImplied();
	    operands = operands.concat(parsed.operands);
	    unknown = parsed.unknown;
	    this.args = operands.concat(unknown);

	    if (operands && this._findCommand(operands[0])) {
	      return this._dispatchSubcommand(operands[0], operands.slice(1), unknown);
	    }
	    if (
	      this._getHelpCommand() &&
	      operands[0] === this._getHelpCommand().name()
	    ) {
	      return this._dispatchHelpCommand(operands[1]);
	    }
	    if (this._defaultCommandName) {
	      this._outputHelpIfRequested(unknown); // Run the help for default command from parent rather than passing to default command
	      return this._dispatchSubcommand(
	        this._defaultCommandName,
	        operands,
	        unknown,
	      );
	    }
	    if (
	      this.commands.length &&
	      this.args.length === 0 &&
	      !this._actionHandler &&
	      !this._defaultCommandName
	    ) {
	      // probably missing subcommand and no handler, user needs help (and exit)
	      this.help({ error: true });
	    }

	    this._outputHelpIfRequested(parsed.unknown);
	    this._checkForMissingMandatoryOptions();
	    this._checkForConflictingOptions();

	    // We do not always call this check to avoid masking a "better" error, like unknown command.
	    const checkForUnknownOptions = () => {
	      if (parsed.unknown.length > 0) {
	        this.unknownOption(parsed.unknown[0]);
	      }
	    };

	    const commandEvent = `command:${this.name()}`;
	    if (this._actionHandler) {
	      checkForUnknownOptions();
	      this._processArguments();

	      let promiseChain;
	      promiseChain = this._chainOrCallHooks(promiseChain, 'preAction');
	      promiseChain = this._chainOrCall(promiseChain, () =>
	        this._actionHandler(this.processedArgs),
	      );
	      if (this.parent) {
	        promiseChain = this._chainOrCall(promiseChain, () => {
	          this.parent.emit(commandEvent, operands, unknown); // legacy
	        });
	      }
	      promiseChain = this._chainOrCallHooks(promiseChain, 'postAction');
	      return promiseChain;
	    }
	    if (this.parent?.listenerCount(commandEvent)) {
	      checkForUnknownOptions();
	      this._processArguments();
	      this.parent.emit(commandEvent, operands, unknown); // legacy
	    } else if (operands.length) {
	      if (this._findCommand('*')) {
	        // legacy default command
	        return this._dispatchSubcommand('*', operands, unknown);
	      }
	      if (this.listenerCount('command:*')) {
	        // skip option check, emit event for possible misspelling suggestion
	        this.emit('command:*', operands, unknown);
	      } else if (this.commands.length) {
	        this.unknownCommand();
	      } else {
	        checkForUnknownOptions();
	        this._processArguments();
	      }
	    } else if (this.commands.length) {
	      checkForUnknownOptions();
	      // This command has subcommands and nothing hooked up at this level, so display help (and exit).
	      this.help({ error: true });
	    } else {
	      checkForUnknownOptions();
	      this._processArguments();
	      // fall through for caller to handle after calling .parse()
	    }
	  }

	  /**
	   * Find matching command.
	   *
	   * @private
	   * @return {Command | undefined}
	   */
	  _findCommand(name) {
	    if (!name) return undefined;
	    return this.commands.find(
	      (cmd) => cmd._name === name || cmd._aliases.includes(name),
	    );
	  }

	  /**
	   * Return an option matching `arg` if any.
	   *
	   * @param {string} arg
	   * @return {Option}
	   * @package
	   */

	  _findOption(arg) {
	    return this.options.find((option) => option.is(arg));
	  }

	  /**
	   * Display an error message if a mandatory option does not have a value.
	   * Called after checking for help flags in leaf subcommand.
	   *
	   * @private
	   */

	  _checkForMissingMandatoryOptions() {
	    // Walk up hierarchy so can call in subcommand after checking for displaying help.
	    this._getCommandAndAncestors().forEach((cmd) => {
	      cmd.options.forEach((anOption) => {
	        if (
	          anOption.mandatory &&
	          cmd.getOptionValue(anOption.attributeName()) === undefined
	        ) {
	          cmd.missingMandatoryOptionValue(anOption);
	        }
	      });
	    });
	  }

	  /**
	   * Display an error message if conflicting options are used together in this.
	   *
	   * @private
	   */
	  _checkForConflictingLocalOptions() {
	    const definedNonDefaultOptions = this.options.filter((option) => {
	      const optionKey = option.attributeName();
	      if (this.getOptionValue(optionKey) === undefined) {
	        return false;
	      }
	      return this.getOptionValueSource(optionKey) !== 'default';
	    });

	    const optionsWithConflicting = definedNonDefaultOptions.filter(
	      (option) => option.conflictsWith.length > 0,
	    );

	    optionsWithConflicting.forEach((option) => {
	      const conflictingAndDefined = definedNonDefaultOptions.find((defined) =>
	        option.conflictsWith.includes(defined.attributeName()),
	      );
	      if (conflictingAndDefined) {
	        this._conflictingOption(option, conflictingAndDefined);
	      }
	    });
	  }

	  /**
	   * Display an error message if conflicting options are used together.
	   * Called after checking for help flags in leaf subcommand.
	   *
	   * @private
	   */
	  _checkForConflictingOptions() {
	    // Walk up hierarchy so can call in subcommand after checking for displaying help.
	    this._getCommandAndAncestors().forEach((cmd) => {
	      cmd._checkForConflictingLocalOptions();
	    });
	  }

	  /**
	   * Parse options from `argv` removing known options,
	   * and return argv split into operands and unknown arguments.
	   *
	   * Side effects: modifies command by storing options. Does not reset state if called again.
	   *
	   * Examples:
	   *
	   *     argv => operands, unknown
	   *     --known kkk op => [op], []
	   *     op --known kkk => [op], []
	   *     sub --unknown uuu op => [sub], [--unknown uuu op]
	   *     sub -- --unknown uuu op => [sub --unknown uuu op], []
	   *
	   * @param {string[]} args
	   * @return {{operands: string[], unknown: string[]}}
	   */

	  parseOptions(args) {
	    const operands = []; // operands, not options or values
	    const unknown = []; // first unknown option and remaining unknown args
	    let dest = operands;

	    function maybeOption(arg) {
	      return arg.length > 1 && arg[0] === '-';
	    }

	    const negativeNumberArg = (arg) => {
	      // return false if not a negative number
	      if (!/^-(\d+|\d*\.\d+)(e[+-]?\d+)?$/.test(arg)) return false;
	      // negative number is ok unless digit used as an option in command hierarchy
	      return !this._getCommandAndAncestors().some((cmd) =>
	        cmd.options
	          .map((opt) => opt.short)
	          .some((short) => /^-\d$/.test(short)),
	      );
	    };

	    // parse options
	    let activeVariadicOption = null;
	    let activeGroup = null; // working through group of short options, like -abc
	    let i = 0;
	    while (i < args.length || activeGroup) {
	      const arg = activeGroup ?? args[i++];
	      activeGroup = null;

	      // literal
	      if (arg === '--') {
	        if (dest === unknown) dest.push(arg);
	        dest.push(...args.slice(i));
	        break;
	      }

	      if (
	        activeVariadicOption &&
	        (!maybeOption(arg) || negativeNumberArg(arg))
	      ) {
	        this.emit(`option:${activeVariadicOption.name()}`, arg);
	        continue;
	      }
	      activeVariadicOption = null;

	      if (maybeOption(arg)) {
	        const option = this._findOption(arg);
	        // recognised option, call listener to assign value with possible custom processing
	        if (option) {
	          if (option.required) {
	            const value = args[i++];
	            if (value === undefined) this.optionMissingArgument(option);
	            this.emit(`option:${option.name()}`, value);
	          } else if (option.optional) {
	            let value = null;
	            // historical behaviour is optional value is following arg unless an option
	            if (
	              i < args.length &&
	              (!maybeOption(args[i]) || negativeNumberArg(args[i]))
	            ) {
	              value = args[i++];
	            }
	            this.emit(`option:${option.name()}`, value);
	          } else {
	            // boolean flag
	            this.emit(`option:${option.name()}`);
	          }
	          activeVariadicOption = option.variadic ? option : null;
	          continue;
	        }
	      }

	      // Look for combo options following single dash, eat first one if known.
	      if (arg.length > 2 && arg[0] === '-' && arg[1] !== '-') {
	        const option = this._findOption(`-${arg[1]}`);
	        if (option) {
	          if (
	            option.required ||
	            (option.optional && this._combineFlagAndOptionalValue)
	          ) {
	            // option with value following in same argument
	            this.emit(`option:${option.name()}`, arg.slice(2));
	          } else {
	            // boolean option
	            this.emit(`option:${option.name()}`);
	            // remove the processed option and keep processing group
	            activeGroup = `-${arg.slice(2)}`;
	          }
	          continue;
	        }
	      }

	      // Look for known long flag with value, like --foo=bar
	      if (/^--[^=]+=/.test(arg)) {
	        const index = arg.indexOf('=');
	        const option = this._findOption(arg.slice(0, index));
	        if (option && (option.required || option.optional)) {
	          this.emit(`option:${option.name()}`, arg.slice(index + 1));
	          continue;
	        }
	      }

	      // Not a recognised option by this command.
	      // Might be a command-argument, or subcommand option, or unknown option, or help command or option.

	      // An unknown option means further arguments also classified as unknown so can be reprocessed by subcommands.
	      // A negative number in a leaf command is not an unknown option.
	      if (
	        dest === operands &&
	        maybeOption(arg) &&
	        !(this.commands.length === 0 && negativeNumberArg(arg))
	      ) {
	        dest = unknown;
	      }

	      // If using positionalOptions, stop processing our options at subcommand.
	      if (
	        (this._enablePositionalOptions || this._passThroughOptions) &&
	        operands.length === 0 &&
	        unknown.length === 0
	      ) {
	        if (this._findCommand(arg)) {
	          operands.push(arg);
	          unknown.push(...args.slice(i));
	          break;
	        } else if (
	          this._getHelpCommand() &&
	          arg === this._getHelpCommand().name()
	        ) {
	          operands.push(arg, ...args.slice(i));
	          break;
	        } else if (this._defaultCommandName) {
	          unknown.push(arg, ...args.slice(i));
	          break;
	        }
	      }

	      // If using passThroughOptions, stop processing options at first command-argument.
	      if (this._passThroughOptions) {
	        dest.push(arg, ...args.slice(i));
	        break;
	      }

	      // add arg
	      dest.push(arg);
	    }

	    return { operands, unknown };
	  }

	  /**
	   * Return an object containing local option values as key-value pairs.
	   *
	   * @return {object}
	   */
	  opts() {
	    if (this._storeOptionsAsProperties) {
	      // Preserve original behaviour so backwards compatible when still using properties
	      const result = {};
	      const len = this.options.length;

	      for (let i = 0; i < len; i++) {
	        const key = this.options[i].attributeName();
	        result[key] =
	          key === this._versionOptionName ? this._version : this[key];
	      }
	      return result;
	    }

	    return this._optionValues;
	  }

	  /**
	   * Return an object containing merged local and global option values as key-value pairs.
	   *
	   * @return {object}
	   */
	  optsWithGlobals() {
	    // globals overwrite locals
	    return this._getCommandAndAncestors().reduce(
	      (combinedOptions, cmd) => Object.assign(combinedOptions, cmd.opts()),
	      {},
	    );
	  }

	  /**
	   * Display error message and exit (or call exitOverride).
	   *
	   * @param {string} message
	   * @param {object} [errorOptions]
	   * @param {string} [errorOptions.code] - an id string representing the error
	   * @param {number} [errorOptions.exitCode] - used with process.exit
	   */
	  error(message, errorOptions) {
	    // output handling
	    this._outputConfiguration.outputError(
	      `${message}\n`,
	      this._outputConfiguration.writeErr,
	    );
	    if (typeof this._showHelpAfterError === 'string') {
	      this._outputConfiguration.writeErr(`${this._showHelpAfterError}\n`);
	    } else if (this._showHelpAfterError) {
	      this._outputConfiguration.writeErr('\n');
	      this.outputHelp({ error: true });
	    }

	    // exit handling
	    const config = errorOptions || {};
	    const exitCode = config.exitCode || 1;
	    const code = config.code || 'commander.error';
	    this._exit(exitCode, code, message);
	  }

	  /**
	   * Apply any option related environment variables, if option does
	   * not have a value from cli or client code.
	   *
	   * @private
	   */
	  _parseOptionsEnv() {
	    this.options.forEach((option) => {
	      if (option.envVar && option.envVar in process.env) {
	        const optionKey = option.attributeName();
	        // Priority check. Do not overwrite cli or options from unknown source (client-code).
	        if (
	          this.getOptionValue(optionKey) === undefined ||
	          ['default', 'config', 'env'].includes(
	            this.getOptionValueSource(optionKey),
	          )
	        ) {
	          if (option.required || option.optional) {
	            // option can take a value
	            // keep very simple, optional always takes value
	            this.emit(`optionEnv:${option.name()}`, process.env[option.envVar]);
	          } else {
	            // boolean
	            // keep very simple, only care that envVar defined and not the value
	            this.emit(`optionEnv:${option.name()}`);
	          }
	        }
	      }
	    });
	  }

	  /**
	   * Apply any implied option values, if option is undefined or default value.
	   *
	   * @private
	   */
	  _parseOptionsImplied() {
	    const dualHelper = new DualOptions(this.options);
	    const hasCustomOptionValue = (optionKey) => {
	      return (
	        this.getOptionValue(optionKey) !== undefined &&
	        !['default', 'implied'].includes(this.getOptionValueSource(optionKey))
	      );
	    };
	    this.options
	      .filter(
	        (option) =>
	          option.implied !== undefined &&
	          hasCustomOptionValue(option.attributeName()) &&
	          dualHelper.valueFromOption(
	            this.getOptionValue(option.attributeName()),
	            option,
	          ),
	      )
	      .forEach((option) => {
	        Object.keys(option.implied)
	          .filter((impliedKey) => !hasCustomOptionValue(impliedKey))
	          .forEach((impliedKey) => {
	            this.setOptionValueWithSource(
	              impliedKey,
	              option.implied[impliedKey],
	              'implied',
	            );
	          });
	      });
	  }

	  /**
	   * Argument `name` is missing.
	   *
	   * @param {string} name
	   * @private
	   */

	  missingArgument(name) {
	    const message = `error: missing required argument '${name}'`;
	    this.error(message, { code: 'commander.missingArgument' });
	  }

	  /**
	   * `Option` is missing an argument.
	   *
	   * @param {Option} option
	   * @private
	   */

	  optionMissingArgument(option) {
	    const message = `error: option '${option.flags}' argument missing`;
	    this.error(message, { code: 'commander.optionMissingArgument' });
	  }

	  /**
	   * `Option` does not have a value, and is a mandatory option.
	   *
	   * @param {Option} option
	   * @private
	   */

	  missingMandatoryOptionValue(option) {
	    const message = `error: required option '${option.flags}' not specified`;
	    this.error(message, { code: 'commander.missingMandatoryOptionValue' });
	  }

	  /**
	   * `Option` conflicts with another option.
	   *
	   * @param {Option} option
	   * @param {Option} conflictingOption
	   * @private
	   */
	  _conflictingOption(option, conflictingOption) {
	    // The calling code does not know whether a negated option is the source of the
	    // value, so do some work to take an educated guess.
	    const findBestOptionFromValue = (option) => {
	      const optionKey = option.attributeName();
	      const optionValue = this.getOptionValue(optionKey);
	      const negativeOption = this.options.find(
	        (target) => target.negate && optionKey === target.attributeName(),
	      );
	      const positiveOption = this.options.find(
	        (target) => !target.negate && optionKey === target.attributeName(),
	      );
	      if (
	        negativeOption &&
	        ((negativeOption.presetArg === undefined && optionValue === false) ||
	          (negativeOption.presetArg !== undefined &&
	            optionValue === negativeOption.presetArg))
	      ) {
	        return negativeOption;
	      }
	      return positiveOption || option;
	    };

	    const getErrorMessage = (option) => {
	      const bestOption = findBestOptionFromValue(option);
	      const optionKey = bestOption.attributeName();
	      const source = this.getOptionValueSource(optionKey);
	      if (source === 'env') {
	        return `environment variable '${bestOption.envVar}'`;
	      }
	      return `option '${bestOption.flags}'`;
	    };

	    const message = `error: ${getErrorMessage(option)} cannot be used with ${getErrorMessage(conflictingOption)}`;
	    this.error(message, { code: 'commander.conflictingOption' });
	  }

	  /**
	   * Unknown option `flag`.
	   *
	   * @param {string} flag
	   * @private
	   */

	  unknownOption(flag) {
	    if (this._allowUnknownOption) return;
	    let suggestion = '';

	    if (flag.startsWith('--') && this._showSuggestionAfterError) {
	      // Looping to pick up the global options too
	      let candidateFlags = [];
	      // eslint-disable-next-line @typescript-eslint/no-this-alias
	      let command = this;
	      do {
	        const moreFlags = command
	          .createHelp()
	          .visibleOptions(command)
	          .filter((option) => option.long)
	          .map((option) => option.long);
	        candidateFlags = candidateFlags.concat(moreFlags);
	        command = command.parent;
	      } while (command && !command._enablePositionalOptions);
	      suggestion = suggestSimilar(flag, candidateFlags);
	    }

	    const message = `error: unknown option '${flag}'${suggestion}`;
	    this.error(message, { code: 'commander.unknownOption' });
	  }

	  /**
	   * Excess arguments, more than expected.
	   *
	   * @param {string[]} receivedArgs
	   * @private
	   */

	  _excessArguments(receivedArgs) {
	    if (this._allowExcessArguments) return;

	    const expected = this.registeredArguments.length;
	    const s = expected === 1 ? '' : 's';
	    const forSubcommand = this.parent ? ` for '${this.name()}'` : '';
	    const message = `error: too many arguments${forSubcommand}. Expected ${expected} argument${s} but got ${receivedArgs.length}.`;
	    this.error(message, { code: 'commander.excessArguments' });
	  }

	  /**
	   * Unknown command.
	   *
	   * @private
	   */

	  unknownCommand() {
	    const unknownName = this.args[0];
	    let suggestion = '';

	    if (this._showSuggestionAfterError) {
	      const candidateNames = [];
	      this.createHelp()
	        .visibleCommands(this)
	        .forEach((command) => {
	          candidateNames.push(command.name());
	          // just visible alias
	          if (command.alias()) candidateNames.push(command.alias());
	        });
	      suggestion = suggestSimilar(unknownName, candidateNames);
	    }

	    const message = `error: unknown command '${unknownName}'${suggestion}`;
	    this.error(message, { code: 'commander.unknownCommand' });
	  }

	  /**
	   * Get or set the program version.
	   *
	   * This method auto-registers the "-V, --version" option which will print the version number.
	   *
	   * You can optionally supply the flags and description to override the defaults.
	   *
	   * @param {string} [str]
	   * @param {string} [flags]
	   * @param {string} [description]
	   * @return {(this | string | undefined)} `this` command for chaining, or version string if no arguments
	   */

	  version(str, flags, description) {
	    if (str === undefined) return this._version;
	    this._version = str;
	    flags = flags || '-V, --version';
	    description = description || 'output the version number';
	    const versionOption = this.createOption(flags, description);
	    this._versionOptionName = versionOption.attributeName();
	    this._registerOption(versionOption);

	    this.on('option:' + versionOption.name(), () => {
	      this._outputConfiguration.writeOut(`${str}\n`);
	      this._exit(0, 'commander.version', str);
	    });
	    return this;
	  }

	  /**
	   * Set the description.
	   *
	   * @param {string} [str]
	   * @param {object} [argsDescription]
	   * @return {(string|Command)}
	   */
	  description(str, argsDescription) {
	    if (str === undefined && argsDescription === undefined)
	      return this._description;
	    this._description = str;
	    if (argsDescription) {
	      this._argsDescription = argsDescription;
	    }
	    return this;
	  }

	  /**
	   * Set the summary. Used when listed as subcommand of parent.
	   *
	   * @param {string} [str]
	   * @return {(string|Command)}
	   */
	  summary(str) {
	    if (str === undefined) return this._summary;
	    this._summary = str;
	    return this;
	  }

	  /**
	   * Set an alias for the command.
	   *
	   * You may call more than once to add multiple aliases. Only the first alias is shown in the auto-generated help.
	   *
	   * @param {string} [alias]
	   * @return {(string|Command)}
	   */

	  alias(alias) {
	    if (alias === undefined) return this._aliases[0]; // just return first, for backwards compatibility

	    /** @type {Command} */
	    // eslint-disable-next-line @typescript-eslint/no-this-alias
	    let command = this;
	    if (
	      this.commands.length !== 0 &&
	      this.commands[this.commands.length - 1]._executableHandler
	    ) {
	      // assume adding alias for last added executable subcommand, rather than this
	      command = this.commands[this.commands.length - 1];
	    }

	    if (alias === command._name)
	      throw new Error("Command alias can't be the same as its name");
	    const matchingCommand = this.parent?._findCommand(alias);
	    if (matchingCommand) {
	      // c.f. _registerCommand
	      const existingCmd = [matchingCommand.name()]
	        .concat(matchingCommand.aliases())
	        .join('|');
	      throw new Error(
	        `cannot add alias '${alias}' to command '${this.name()}' as already have command '${existingCmd}'`,
	      );
	    }

	    command._aliases.push(alias);
	    return this;
	  }

	  /**
	   * Set aliases for the command.
	   *
	   * Only the first alias is shown in the auto-generated help.
	   *
	   * @param {string[]} [aliases]
	   * @return {(string[]|Command)}
	   */

	  aliases(aliases) {
	    // Getter for the array of aliases is the main reason for having aliases() in addition to alias().
	    if (aliases === undefined) return this._aliases;

	    aliases.forEach((alias) => this.alias(alias));
	    return this;
	  }

	  /**
	   * Set / get the command usage `str`.
	   *
	   * @param {string} [str]
	   * @return {(string|Command)}
	   */

	  usage(str) {
	    if (str === undefined) {
	      if (this._usage) return this._usage;

	      const args = this.registeredArguments.map((arg) => {
	        return humanReadableArgName(arg);
	      });
	      return []
	        .concat(
	          this.options.length || this._helpOption !== null ? '[options]' : [],
	          this.commands.length ? '[command]' : [],
	          this.registeredArguments.length ? args : [],
	        )
	        .join(' ');
	    }

	    this._usage = str;
	    return this;
	  }

	  /**
	   * Get or set the name of the command.
	   *
	   * @param {string} [str]
	   * @return {(string|Command)}
	   */

	  name(str) {
	    if (str === undefined) return this._name;
	    this._name = str;
	    return this;
	  }

	  /**
	   * Set/get the help group heading for this subcommand in parent command's help.
	   *
	   * @param {string} [heading]
	   * @return {Command | string}
	   */

	  helpGroup(heading) {
	    if (heading === undefined) return this._helpGroupHeading ?? '';
	    this._helpGroupHeading = heading;
	    return this;
	  }

	  /**
	   * Set/get the default help group heading for subcommands added to this command.
	   * (This does not override a group set directly on the subcommand using .helpGroup().)
	   *
	   * @example
	   * program.commandsGroup('Development Commands:);
	   * program.command('watch')...
	   * program.command('lint')...
	   * ...
	   *
	   * @param {string} [heading]
	   * @returns {Command | string}
	   */
	  commandsGroup(heading) {
	    if (heading === undefined) return this._defaultCommandGroup ?? '';
	    this._defaultCommandGroup = heading;
	    return this;
	  }

	  /**
	   * Set/get the default help group heading for options added to this command.
	   * (This does not override a group set directly on the option using .helpGroup().)
	   *
	   * @example
	   * program
	   *   .optionsGroup('Development Options:')
	   *   .option('-d, --debug', 'output extra debugging')
	   *   .option('-p, --profile', 'output profiling information')
	   *
	   * @param {string} [heading]
	   * @returns {Command | string}
	   */
	  optionsGroup(heading) {
	    if (heading === undefined) return this._defaultOptionGroup ?? '';
	    this._defaultOptionGroup = heading;
	    return this;
	  }

	  /**
	   * @param {Option} option
	   * @private
	   */
	  _initOptionGroup(option) {
	    if (this._defaultOptionGroup && !option.helpGroupHeading)
	      option.helpGroup(this._defaultOptionGroup);
	  }

	  /**
	   * @param {Command} cmd
	   * @private
	   */
	  _initCommandGroup(cmd) {
	    if (this._defaultCommandGroup && !cmd.helpGroup())
	      cmd.helpGroup(this._defaultCommandGroup);
	  }

	  /**
	   * Set the name of the command from script filename, such as process.argv[1],
	   * or require.main.filename, or __filename.
	   *
	   * (Used internally and public although not documented in README.)
	   *
	   * @example
	   * program.nameFromFilename(require.main.filename);
	   *
	   * @param {string} filename
	   * @return {Command}
	   */

	  nameFromFilename(filename) {
	    this._name = path.basename(filename, path.extname(filename));

	    return this;
	  }

	  /**
	   * Get or set the directory for searching for executable subcommands of this command.
	   *
	   * @example
	   * program.executableDir(__dirname);
	   * // or
	   * program.executableDir('subcommands');
	   *
	   * @param {string} [path]
	   * @return {(string|null|Command)}
	   */

	  executableDir(path) {
	    if (path === undefined) return this._executableDir;
	    this._executableDir = path;
	    return this;
	  }

	  /**
	   * Return program help documentation.
	   *
	   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to wrap for stderr instead of stdout
	   * @return {string}
	   */

	  helpInformation(contextOptions) {
	    const helper = this.createHelp();
	    const context = this._getOutputContext(contextOptions);
	    helper.prepareContext({
	      error: context.error,
	      helpWidth: context.helpWidth,
	      outputHasColors: context.hasColors,
	    });
	    const text = helper.formatHelp(this, helper);
	    if (context.hasColors) return text;
	    return this._outputConfiguration.stripColor(text);
	  }

	  /**
	   * @typedef HelpContext
	   * @type {object}
	   * @property {boolean} error
	   * @property {number} helpWidth
	   * @property {boolean} hasColors
	   * @property {function} write - includes stripColor if needed
	   *
	   * @returns {HelpContext}
	   * @private
	   */

	  _getOutputContext(contextOptions) {
	    contextOptions = contextOptions || {};
	    const error = !!contextOptions.error;
	    let baseWrite;
	    let hasColors;
	    let helpWidth;
	    if (error) {
	      baseWrite = (str) => this._outputConfiguration.writeErr(str);
	      hasColors = this._outputConfiguration.getErrHasColors();
	      helpWidth = this._outputConfiguration.getErrHelpWidth();
	    } else {
	      baseWrite = (str) => this._outputConfiguration.writeOut(str);
	      hasColors = this._outputConfiguration.getOutHasColors();
	      helpWidth = this._outputConfiguration.getOutHelpWidth();
	    }
	    const write = (str) => {
	      if (!hasColors) str = this._outputConfiguration.stripColor(str);
	      return baseWrite(str);
	    };
	    return { error, write, hasColors, helpWidth };
	  }

	  /**
	   * Output help information for this command.
	   *
	   * Outputs built-in help, and custom text added using `.addHelpText()`.
	   *
	   * @param {{ error: boolean } | Function} [contextOptions] - pass {error:true} to write to stderr instead of stdout
	   */

	  outputHelp(contextOptions) {
	    let deprecatedCallback;
	    if (typeof contextOptions === 'function') {
	      deprecatedCallback = contextOptions;
	      contextOptions = undefined;
	    }

	    const outputContext = this._getOutputContext(contextOptions);
	    /** @type {HelpTextEventContext} */
	    const eventContext = {
	      error: outputContext.error,
	      write: outputContext.write,
	      command: this,
	    };

	    this._getCommandAndAncestors()
	      .reverse()
	      .forEach((command) => command.emit('beforeAllHelp', eventContext));
	    this.emit('beforeHelp', eventContext);

	    let helpInformation = this.helpInformation({ error: outputContext.error });
	    if (deprecatedCallback) {
	      helpInformation = deprecatedCallback(helpInformation);
	      if (
	        typeof helpInformation !== 'string' &&
	        !Buffer.isBuffer(helpInformation)
	      ) {
	        throw new Error('outputHelp callback must return a string or a Buffer');
	      }
	    }
	    outputContext.write(helpInformation);

	    if (this._getHelpOption()?.long) {
	      this.emit(this._getHelpOption().long); // deprecated
	    }
	    this.emit('afterHelp', eventContext);
	    this._getCommandAndAncestors().forEach((command) =>
	      command.emit('afterAllHelp', eventContext),
	    );
	  }

	  /**
	   * You can pass in flags and a description to customise the built-in help option.
	   * Pass in false to disable the built-in help option.
	   *
	   * @example
	   * program.helpOption('-?, --help' 'show help'); // customise
	   * program.helpOption(false); // disable
	   *
	   * @param {(string | boolean)} flags
	   * @param {string} [description]
	   * @return {Command} `this` command for chaining
	   */

	  helpOption(flags, description) {
	    // Support enabling/disabling built-in help option.
	    if (typeof flags === 'boolean') {
	      if (flags) {
	        if (this._helpOption === null) this._helpOption = undefined; // reenable
	        if (this._defaultOptionGroup) {
	          // make the option to store the group
	          this._initOptionGroup(this._getHelpOption());
	        }
	      } else {
	        this._helpOption = null; // disable
	      }
	      return this;
	    }

	    // Customise flags and description.
	    this._helpOption = this.createOption(
	      flags ?? '-h, --help',
	      description ?? 'display help for command',
	    );
	    // init group unless lazy create
	    if (flags || description) this._initOptionGroup(this._helpOption);

	    return this;
	  }

	  /**
	   * Lazy create help option.
	   * Returns null if has been disabled with .helpOption(false).
	   *
	   * @returns {(Option | null)} the help option
	   * @package
	   */
	  _getHelpOption() {
	    // Lazy create help option on demand.
	    if (this._helpOption === undefined) {
	      this.helpOption(undefined, undefined);
	    }
	    return this._helpOption;
	  }

	  /**
	   * Supply your own option to use for the built-in help option.
	   * This is an alternative to using helpOption() to customise the flags and description etc.
	   *
	   * @param {Option} option
	   * @return {Command} `this` command for chaining
	   */
	  addHelpOption(option) {
	    this._helpOption = option;
	    this._initOptionGroup(option);
	    return this;
	  }

	  /**
	   * Output help information and exit.
	   *
	   * Outputs built-in help, and custom text added using `.addHelpText()`.
	   *
	   * @param {{ error: boolean }} [contextOptions] - pass {error:true} to write to stderr instead of stdout
	   */

	  help(contextOptions) {
	    this.outputHelp(contextOptions);
	    let exitCode = Number(process.exitCode ?? 0); // process.exitCode does allow a string or an integer, but we prefer just a number
	    if (
	      exitCode === 0 &&
	      contextOptions &&
	      typeof contextOptions !== 'function' &&
	      contextOptions.error
	    ) {
	      exitCode = 1;
	    }
	    // message: do not have all displayed text available so only passing placeholder.
	    this._exit(exitCode, 'commander.help', '(outputHelp)');
	  }

	  /**
	   * // Do a little typing to coordinate emit and listener for the help text events.
	   * @typedef HelpTextEventContext
	   * @type {object}
	   * @property {boolean} error
	   * @property {Command} command
	   * @property {function} write
	   */

	  /**
	   * Add additional text to be displayed with the built-in help.
	   *
	   * Position is 'before' or 'after' to affect just this command,
	   * and 'beforeAll' or 'afterAll' to affect this command and all its subcommands.
	   *
	   * @param {string} position - before or after built-in help
	   * @param {(string | Function)} text - string to add, or a function returning a string
	   * @return {Command} `this` command for chaining
	   */

	  addHelpText(position, text) {
	    const allowedValues = ['beforeAll', 'before', 'after', 'afterAll'];
	    if (!allowedValues.includes(position)) {
	      throw new Error(`Unexpected value for position to addHelpText.
Expecting one of '${allowedValues.join("', '")}'`);
	    }

	    const helpEvent = `${position}Help`;
	    this.on(helpEvent, (/** @type {HelpTextEventContext} */ context) => {
	      let helpStr;
	      if (typeof text === 'function') {
	        helpStr = text({ error: context.error, command: context.command });
	      } else {
	        helpStr = text;
	      }
	      // Ignore falsy value when nothing to output.
	      if (helpStr) {
	        context.write(`${helpStr}\n`);
	      }
	    });
	    return this;
	  }

	  /**
	   * Output help information if help flags specified
	   *
	   * @param {Array} args - array of options to search for help flags
	   * @private
	   */

	  _outputHelpIfRequested(args) {
	    const helpOption = this._getHelpOption();
	    const helpRequested = helpOption && args.find((arg) => helpOption.is(arg));
	    if (helpRequested) {
	      this.outputHelp();
	      // (Do not have all displayed text available so only passing placeholder.)
	      this._exit(0, 'commander.helpDisplayed', '(outputHelp)');
	    }
	  }
	}

	/**
	 * Scan arguments and increment port number for inspect calls (to avoid conflicts when spawning new command).
	 *
	 * @param {string[]} args - array of arguments from node.execArgv
	 * @returns {string[]}
	 * @private
	 */

	function incrementNodeInspectorPort(args) {
	  // Testing for these options:
	  //  --inspect[=[host:]port]
	  //  --inspect-brk[=[host:]port]
	  //  --inspect-port=[host:]port
	  return args.map((arg) => {
	    if (!arg.startsWith('--inspect')) {
	      return arg;
	    }
	    let debugOption;
	    let debugHost = '127.0.0.1';
	    let debugPort = '9229';
	    let match;
	    if ((match = arg.match(/^(--inspect(-brk)?)$/)) !== null) {
	      // e.g. --inspect
	      debugOption = match[1];
	    } else if (
	      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+)$/)) !== null
	    ) {
	      debugOption = match[1];
	      if (/^\d+$/.test(match[3])) {
	        // e.g. --inspect=1234
	        debugPort = match[3];
	      } else {
	        // e.g. --inspect=localhost
	        debugHost = match[3];
	      }
	    } else if (
	      (match = arg.match(/^(--inspect(-brk|-port)?)=([^:]+):(\d+)$/)) !== null
	    ) {
	      // e.g. --inspect=localhost:1234
	      debugOption = match[1];
	      debugHost = match[3];
	      debugPort = match[4];
	    }

	    if (debugOption && debugPort !== '0') {
	      return `${debugOption}=${debugHost}:${parseInt(debugPort) + 1}`;
	    }
	    return arg;
	  });
	}

	/**
	 * @returns {boolean | undefined}
	 * @package
	 */
	function useColor() {
	  // Test for common conventions.
	  // NB: the observed behaviour is in combination with how author adds color! For example:
	  //   - we do not test NODE_DISABLE_COLORS, but util:styletext does
	  //   - we do test NO_COLOR, but Chalk does not
	  //
	  // References:
	  // https://no-color.org
	  // https://bixense.com/clicolors/
	  // https://github.com/nodejs/node/blob/0a00217a5f67ef4a22384cfc80eb6dd9a917fdc1/lib/internal/tty.js#L109
	  // https://github.com/chalk/supports-color/blob/c214314a14bcb174b12b3014b2b0a8de375029ae/index.js#L33
	  // (https://force-color.org recent web page from 2023, does not match major javascript implementations)

	  if (
	    process.env.NO_COLOR ||
	    process.env.FORCE_COLOR === '0' ||
	    process.env.FORCE_COLOR === 'false'
	  )
	    return false;
	  if (process.env.FORCE_COLOR || process.env.CLICOLOR_FORCE !== undefined)
	    return true;
	  return undefined;
	}

	command.Command = Command;
	command.useColor = useColor; // exporting for tests
	return command;
}

var hasRequiredCommander;

function requireCommander () {
	if (hasRequiredCommander) return commander$1;
	hasRequiredCommander = 1;
	const { Argument } = requireArgument();
	const { Command } = requireCommand();
	const { CommanderError, InvalidArgumentError } = requireError();
	const { Help } = requireHelp();
	const { Option } = requireOption();

	commander$1.program = new Command();

	commander$1.createCommand = (name) => new Command(name);
	commander$1.createOption = (flags, description) => new Option(flags, description);
	commander$1.createArgument = (name, description) => new Argument(name, description);

	/**
	 * Expose classes
	 */

	commander$1.Command = Command;
	commander$1.Option = Option;
	commander$1.Argument = Argument;
	commander$1.Help = Help;

	commander$1.CommanderError = CommanderError;
	commander$1.InvalidArgumentError = InvalidArgumentError;
	commander$1.InvalidOptionArgumentError = InvalidArgumentError; // Deprecated
	return commander$1;
}

var commanderExports = requireCommander();
const commander = /*@__PURE__*/getDefaultExportFromCjs(commanderExports);

// wrapper to provide named exports for ESM.
const {
  program,
  createCommand,
  createArgument,
  createOption,
  CommanderError,
  InvalidArgumentError,
  InvalidOptionArgumentError, // deprecated old name
  Command,
  Argument,
  Option,
  Help,
} = commander;

/**
 * The CLI's `-o` modes for listings, as `oc get` has them: table (default), wide (the columns OpenShift's printer
 * marks Priority 1), name (`resource/name` per line), json, yaml, and jsonpath=TEMPLATE (kubectl's JSONPath template
 * subset: `{.a.b}`, `{.items[0]}`, `{.items[*].metadata.name}`, `{"\n"}` literals, text outside braces kept).
 * `--no-headers` drops a table's header row. Pure: strings in, strings out.
 */
const OUTPUT_MODES = 'table, wide, name, json, yaml, jsonpath=TEMPLATE';
/** `-o` text → mode; throws with the accepted values (the CLI turns it into a usage error). */
function parseOutputMode(text) {
    if (['table', 'wide', 'name', 'json', 'yaml'].includes(text))
        return { kind: text };
    const m = /^jsonpath=(.*)$/s.exec(text);
    if (m) {
        if (!m[1])
            throw new Error('jsonpath= needs a template, e.g. jsonpath={.items[*].metadata.name}');
        parseTemplate(m[1]); // refuse a bad template before any work
        return { kind: 'jsonpath', template: m[1] };
    }
    throw new Error(`"${text}" is not an output format; use one of ${OUTPUT_MODES}`);
}
/** A table, with or without its header row. */
function renderRows(columns, rows, headers) {
    const text = renderTable(columns, rows);
    return headers ? text : text.slice(text.indexOf('\n') + 1);
}
/** json / yaml / jsonpath output of `data`; undefined for the table-like modes. */
function renderData(mode, data) {
    if (mode.kind === 'json')
        return `${JSON.stringify(data, null, 2)}\n`;
    if (mode.kind === 'yaml')
        return distExports.stringify(data, { lineWidth: 0 });
    if (mode.kind === 'jsonpath')
        return renderJsonPath(mode.template, data);
    return undefined;
}
function parseTemplate(template) {
    const parts = [];
    let i = 0;
    while (i < template.length) {
        const open = template.indexOf('{', i);
        if (open < 0) {
            parts.push({ literal: template.slice(i) });
            break;
        }
        if (open > i)
            parts.push({ literal: template.slice(i, open) });
        const close = template.indexOf('}', open);
        if (close < 0)
            throw new Error(`jsonpath: unclosed { at column ${open + 1}`);
        parts.push(parseExpression(template.slice(open + 1, close).trim()));
        i = close + 1;
    }
    return parts;
}
function parseExpression(expr) {
    const literal = /^"((?:[^"\\]|\\.)*)"$/.exec(expr);
    if (literal)
        return { literal: JSON.parse(`"${literal[1]}"`) };
    const path = [];
    const re = /\.([A-Za-z0-9_-]+)|\.\*|\[(\d+|\*|'[^']*')\]/y;
    let at = expr.startsWith('$') ? 1 : 0;
    while (at < expr.length) {
        re.lastIndex = at;
        const m = re.exec(expr);
        if (!m)
            throw new Error(`jsonpath: cannot read "${expr}" at column ${at + 1} (supported: .field [n] [*] ['key'])`);
        const index = m[2];
        if (m[1] !== undefined)
            path.push(m[1]);
        else if (index === undefined || index === '*')
            path.push('*');
        else
            path.push(index.startsWith("'") ? index.slice(1, -1) : Number(index));
        at = re.lastIndex;
    }
    return { path };
}
function select(values, step) {
    return values.flatMap((v) => {
        if (v === null || typeof v !== 'object')
            return [];
        if (step === '*')
            return Object.values(v);
        const next = v[step];
        return next === undefined ? [] : [next];
    });
}
/** kubectl's rendering: several results joined by a space; strings bare, other values as JSON. No final newline. */
function renderJsonPath(template, data) {
    return parseTemplate(template)
        .map((part) => {
        if ('literal' in part)
            return part.literal;
        const found = part.path.reduce((values, step) => select(values, step), [data]);
        return found.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(' ');
    })
        .join('');
}

/** Examples printed under each verb's --help, keyed by the verb's full name (`set triggers`). */
const EXAMPLES = {
    create: ['imagestream create web', 'imagestream create web -n shop'],
    get: [
        'imagestream get is',
        'imagestream get istag web:latest',
        'imagestream get is web -o yaml',
        "imagestream get istag -o jsonpath='{.items[*].metadata.name}'"
    ],
    describe: ['imagestream describe web', 'imagestream describe is web'],
    history: ['imagestream history web:latest', 'imagestream history web:latest -o json'],
    tag: [
        'imagestream tag quay.io/acme/web:1.4 web:1.4 --scheduled',
        'imagestream tag web:1.4 web:stable',
        'imagestream tag --alias web:1.4 web:latest',
        'imagestream tag -d web:old'
    ],
    rollback: ['imagestream rollback web:stable --to-generation 3', 'imagestream rollback web:stable --to sha256:4c1e'],
    resume: ['imagestream resume web:stable'],
    'set policy': [
        "imagestream set policy web:stable --policy 'semver:^1.4'",
        "imagestream set policy web:main --filter '^main-[a-f0-9]+-(?<ts>\\d+)$' --extract '$ts' --policy numerical:asc",
        'imagestream set policy web:stable --min-age 3d --require-platforms linux/amd64,linux/arm64'
    ],
    explain: ['imagestream explain web:stable', 'imagestream explain web:stable -o json'],
    plan: ['imagestream plan --shards 8', "imagestream plan --shards 16 --manifests 'deploy/**/*.yaml'"],
    'set triggers': [
        'imagestream set triggers deployment/web -f deploy/web.yaml --from-image web:stable -c web',
        'imagestream set triggers deployment/web -f deploy/web.yaml --from-image web:stable --remove'
    ],
    import: ['imagestream import', 'imagestream import --dry-run'],
    'apply-triggers': ['imagestream apply-triggers', 'imagestream apply-triggers --dry-run'],
    sync: [
        'imagestream sync',
        'imagestream sync --all --commit',
        'imagestream -C gitops sync --commit --message "{streams}"'
    ],
    'import-image': [
        'imagestream import-image web:1.4 --from quay.io/acme/web:1.4 --confirm',
        'imagestream import-image web --from quay.io/acme/web --all --confirm'
    ],
    resolve: ['imagestream resolve quay.io/acme/web:1.4', 'imagestream resolve docker.io/library/nginx:1.27 -o json']
};

/**
 * The `imagestream` CLI: `oc`-like verbs over the same core the action runs.
 * Each verb group lives in src/cli/commands/<group>.ts and exports `register(program)`.
 * Exit codes: 0 success, 1 some import/registry operation failed, 2 invalid input or usage.
 */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
/** Thrown by a verb to end with a given exit code after it printed its own output. */
class ExitCode extends Error {
    code;
    constructor(code) {
        super(`exit ${code}`);
        this.code = code;
    }
}
function buildProgram(registrars) {
    const program = new Command();
    program
        .name('imagestream')
        .description('OpenShift ImageStreams in Git: import tags to digests, keep their history, bump manifests.')
        .option('-C, --dir <dir>', 'repository root', '.')
        .option('--streams <glob>', 'where the stream files are (glob, relative to the root)', 'imagestreams/**/*.{yaml,yml}')
        .version(packageVersion(), '-V, --version', 'print the version')
        .showSuggestionAfterError()
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(oneLineError(s)) });
    for (const register of registrars)
        register(program);
    for (const command of program.commands)
        addExamples(command, '');
    return program;
}
/**
 * The version in the package.json next to this code: three levels up from src/cli/shared/program.ts, one from the bundled
 * dist/cli.js (or its chunks/); the first package.json named imagestream-action going up.
 */
function packageVersion() {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 4; i++, dir = dirname(dir)) {
        try {
            const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
            if (pkg.name === 'imagestream-action' && pkg.version)
                return pkg.version;
        }
        catch {
            // no package.json here: look one level up
        }
    }
    return 'unknown';
}
/** commander's "unknown command 'x'\n(Did you mean y?)" as one line, and a pointer to --help instead of the help. */
function oneLineError(text) {
    const m = /^error: unknown command '([^']*)'\s*\(Did you mean ([^?]+)\?\)/.exec(text);
    if (m)
        return `error: unknown command '${m[1]}'; did you mean '${m[2].trim()}'?\n`;
    if (text.startsWith('error: unknown command'))
        return `${text.trimEnd()} (see imagestream --help)\n`;
    return text;
}
/** Examples under each verb's --help (what a user types first), from ./examples.ts. */
function addExamples(command, parent) {
    const name = `${parent}${command.name()}`;
    const lines = EXAMPLES[name];
    if (lines)
        command.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    for (const sub of command.commands)
        addExamples(sub, `${name} `);
}
/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it). */
async function runCli(argv, registrars) {
    const program = buildProgram(registrars);
    try {
        await program.parseAsync(argv, { from: 'user' });
        return EXIT_OK;
    }
    catch (err) {
        if (err instanceof ExitCode)
            return err.code;
        if (err instanceof CommanderError) {
            if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
                return EXIT_OK;
            return EXIT_USAGE;
        }
        if (err instanceof InputError) {
            process.stderr.write(`error: ${err.message}\n`);
            return EXIT_USAGE;
        }
        process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
        return EXIT_FAILED;
    }
}
/** `-o table|wide|name|json|yaml|jsonpath=…`, the `oc get` output option (use with `--no-headers`). */
function listingOutputOption() {
    const parse = (text) => {
        try {
            return parseOutputMode(text);
        }
        catch (err) {
            throw new InvalidArgumentError(err.message);
        }
    };
    return new Option('-o, --output <format>', `output format: ${OUTPUT_MODES}`)
        .argParser(parse)
        .default({ kind: 'table' }, 'table');
}
const NO_HEADERS_HELP = 'print table rows without the header row';

/**
 * The read-only side of the pipeline, for the verbs that only show streams (`get`, `describe`, `history`): the state
 * files as they are, after finishing a write that a killed run left half done (so no verb ever reads a tree between
 * two states). Bad files come back as diagnostics.
 */
async function readStreams(root, streamsGlob) {
    await recoverInterruptedWrite(root);
    return loadStreams(root, streamsGlob);
}

/**
 * What every `imagestream` verb shares: the global options, the clock, loading the state files, finding a stream
 * by `[namespace/]name`, writing files, the registry settings of importing verbs, and output formats.
 * The verbs stay thin: parse flags, call the core, print.
 */
/** The global options as seen from a verb (commander keeps them on the root command). */
function globals(command) {
    const all = command.optsWithGlobals();
    const root = resolveDir(all.dir ?? '.');
    return { root, streamsGlob: all.streams || DEFAULT_STREAM_GLOB };
}
function resolveDir(dir) {
    const abs = resolve(process.cwd(), dir);
    if (!existsSync(abs))
        throw new InputError(`directory "${dir}" does not exist`, { field: '-C/--dir' });
    return abs;
}
/**
 * The CLI's clock. IMAGESTREAM_NOW (RFC 3339, e.g. 2024-05-02T09:15:03Z) fixes "now" for every timestamp a verb
 * writes or ages it prints: for tests and reproducible demos only, never for real use (history would lie).
 */
function cliClock(env = process.env) {
    const fixed = env.IMAGESTREAM_NOW;
    if (fixed === undefined || fixed === '')
        return systemClock;
    const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
    const ms = Date.parse(fixed);
    if (!rfc3339.test(fixed) || Number.isNaN(ms)) {
        throw new InputError(`"${fixed}" is not an RFC 3339 time such as 2024-05-02T09:15:03Z`, {
            field: 'IMAGESTREAM_NOW'
        });
    }
    return { now: () => new Date(ms) };
}
function nowText(clock) {
    return rfc3339Seconds(clock.now());
}
function printDiagnostics(diagnostics) {
    for (const d of diagnostics)
        process.stderr.write(`${formatDiagnostic(d)}\n`);
}
/**
 * Reads every state file. A write that a killed run left half done is finished first (the pipeline's journal), so
 * no verb ever reads a tree between two states. Bad files are printed as diagnostics and skipped.
 */
async function loadRepository(options, { quiet = false } = {}) {
    const { streams, diagnostics } = await readStreams(options.root, options.streamsGlob);
    if (!quiet)
        printDiagnostics(diagnostics);
    return { ...options, streams, diagnostics };
}
function parseStreamTag(text, field, requireTag = false) {
    const parsed = parseStreamTag$1(text, requireTag);
    if (!parsed && requireTag && parseStreamTag$1(text)) {
        throw new InputError(`"${text}" names no tag; use [namespace/]name:tag`, { field });
    }
    if (!parsed) {
        const problem = streamTagProblem(text, requireTag);
        const what = requireTag ? 'a stream tag [namespace/]name:tag' : 'a stream name [namespace/]name';
        throw new InputError(`"${text}" is not ${what}: ${problem}`, { field });
    }
    return parsed;
}
function requireStream(repo, name, namespace) {
    const found = findStream(repo.streams, name, namespace);
    if (!found)
        throw notFound$1(name, namespace);
    return found;
}
/** The workspace of a verb: the repository, its stream glob, and the CLI's clock; writes unless told otherwise. */
function cliWorkspace(options, extra = {}) {
    return { root: options.root, streamsGlob: options.streamsGlob, now: cliClock().now(), write: true, ...extra };
}
/** What a stream command prints: oc's messages, then each manifest line that followed a moved tag. */
function printResultLines(result) {
    printDiagnostics(result.diagnostics);
    for (const m of result.messages)
        process.stdout.write(`${m}\n`);
    for (const e of result.edits) {
        process.stdout.write(`${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`);
    }
}
function outputOption(defaultFormat = 'table', choices = ['table', 'yaml', 'json']) {
    return new Option('-o, --output <format>', 'output format').choices(choices).default(defaultFormat);
}
/** JSON/YAML of `data`, or the table/text from `text()`. */
function printData(format, data, text) {
    if (format === 'json')
        process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    else if (format === 'yaml')
        process.stdout.write(distExports.stringify(data, { lineWidth: 0 }));
    else
        process.stdout.write(text());
}
function table(columns, rows) {
    return renderTable(columns, rows);
}
function integerArg(min, allowMinusOne = false) {
    return (value) => {
        if (!/^-?\d+$/.test(value))
            throw new InvalidArgumentError('must be a whole number.');
        const n = Number(value);
        if (allowMinusOne && n === -1)
            return n;
        if (n < min) {
            throw new InvalidArgumentError(`must be at least ${min}${allowMinusOne ? ' (or -1 for no limit)' : ''}.`);
        }
        return n;
    };
}
/** A repeatable option whose values may also be comma-separated (`-c a,b -c c`). */
function commaList(value, previous) {
    return [
        ...(previous ?? []),
        ...value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
    ];
}
function repeatable$1(value, previous) {
    return [...(previous ?? []), value];
}
function addRegistryOptions(command) {
    return command
        .option('--platform <os/arch[/variant]>', 'platform a Legacy import picks from an index (default linux/amd64)')
        .option('--concurrency <n>', 'registry requests in flight at once (default 16)', integerArg(1))
        .option('--history-limit <n>', 'history items kept per tag (default 10; -1 keeps all)', integerArg(1, true))
        .option('--docker-config <file>', 'docker config.json with credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)')
        .option('--allowed-registries <list>', 'comma-separated hosts or host/path prefixes tags may import from', commaList)
        .option('--insecure-registry <host>', 'allow plain http and unverified TLS for this registry (repeatable)', repeatable$1);
}
/** The registry client of an importing verb. Secrets are never printed: the CLI registers them nowhere else. */
function registryFromFlags(flags) {
    let platform;
    if (flags.platform) {
        try {
            platform = parsePlatform(flags.platform);
        }
        catch (err) {
            throw new InputError(err.message, { field: '--platform' });
        }
    }
    const client = createRegistryClient({
        dockerConfigFile: flags.dockerConfig ?? dockerConfigPath(process.env, homedir()),
        githubToken: process.env.GITHUB_TOKEN || undefined,
        ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags.insecureRegistry?.length ? { insecureRegistries: flags.insecureRegistry } : {}),
        ...(platform ? { platform } : {}),
        onWarning: (message) => process.stderr.write(`warning: ${message}\n`)
    });
    return { client, platform, historyLimit: flags.historyLimit, allowedRegistries: flags.allowedRegistries ?? [] };
}
/** A DockerConfigError (bad config.json) is the person's input: exit 2 with its message. */
function isDockerConfigError(err) {
    return err instanceof Error && err.name === 'DockerConfigError';
}
/** Runs `work` with a registry client and always closes it; a bad docker config.json ends the verb with exit 2. */
async function usingRegistry(client, work) {
    try {
        return await work();
    }
    catch (err) {
        if (isDockerConfigError(err)) {
            process.stderr.write(`error: ${err.message}\n`);
            throw new ExitCode(EXIT_USAGE);
        }
        throw err;
    }
    finally {
        await client?.close();
    }
}

function register$7(program) {
    program
        .command('rollback')
        .description('point a tag at an earlier image of its history and hold it there until `resume`')
        .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
        .option('--to-generation <n>', 'the history item of this generation')
        .option('--to <digest>', 'the history item with this digest (sha256:…, or a unique prefix)')
        .action(async (target, flags, command) => {
        if ((flags.toGeneration === undefined) === (flags.to === undefined)) {
            throw new InputError('give exactly one of --to-generation N or --to DIGEST');
        }
        if (flags.toGeneration !== undefined && !/^\d+$/.test(flags.toGeneration)) {
            throw new InputError(`must be a whole number; got "${flags.toGeneration}"`, { field: '--to-generation' });
        }
        const to = flags.toGeneration !== undefined ? { toGeneration: Number(flags.toGeneration) } : { toDigest: flags.to };
        const ref = parseStreamTag(target, 'NAME:TAG', true);
        const result = await runCommand({ verb: 'rollback', target: ref, to }, cliWorkspace(globals(command)));
        const hold = result.held.find((h) => h.stream === ref.name && h.tag === ref.tag && (!ref.namespace || h.namespace === ref.namespace));
        process.stdout.write(`Tag ${ref.name}:${ref.tag} rolled back to ${hold?.heldDigest} and held there; ` +
            `imports will not move it until \`imagestream resume ${target}\`.\n`);
        printResultLines({ ...result, messages: [] });
    });
    program
        .command('resume')
        .description('lift a rollback hold: the next import (or, for an alias, this command) moves the tag again')
        .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
        .action(async (target, _flags, command) => {
        const ref = parseStreamTag(target, 'NAME:TAG', true);
        const result = await runCommand({ verb: 'resume', target: ref }, cliWorkspace(globals(command)));
        process.stdout.write(`Tag ${ref.name}:${ref.tag} resumed; the next \`imagestream import\` moves it to the newest image.\n`);
        printResultLines({ ...result, messages: [] });
    });
}

/**
 * What the read-only verbs show (`get`, `describe`, `history`), built from the state files with the stream rules:
 * OpenShift's tables and objects, and our own policy columns and history view. The CLI only renders them.
 */
/**
 * formatImageStreamTags' reading of a stream ([oc] pkg/helpers/describe/helpers.go): status tags then spec-only
 * tags, PrioritizeTags order; a tag reached through an ImageStreamTag reference is printed under its target.
 */
function describeView(stream) {
    const annotations = { ...(stream.metadata.annotations ?? {}) };
    delete annotations[OBSERVED_ANNOTATION]; // a hash for our bookkeeping, meaningless to a reader
    const statusTags = new Map((stream.status?.tags ?? []).map((t) => [t.tag, t]));
    const specTags = new Map((stream.spec.tags ?? []).map((t) => [t.name, t]));
    const images = new Set();
    for (const list of statusTags.values()) {
        for (const item of list.items ?? [])
            if (item.image || item.dockerImageReference)
                images.add(item.image);
    }
    const names = [...statusTags.keys()];
    const holds = readHolds(stream);
    const grouped = new Map();
    const aliases = new Set();
    for (const ref of specTags.values()) {
        const target = aliasTarget(stream, ref.name);
        // A held alias no longer shows its source's image, so it is printed as its own tag with its hold.
        if (target !== undefined && !holds[ref.name]) {
            aliases.add(ref.name);
            grouped.set(target, [...(grouped.get(target) ?? []), ref.name]);
        }
        if (!statusTags.has(ref.name))
            names.push(ref.name);
    }
    const upstream = readUpstream(stream);
    const tags = prioritizeTags(names)
        .filter((name) => !aliases.has(name))
        .map((name) => {
        const hold = holds[name];
        const spec = specTags.get(name);
        return {
            name,
            aliases: prioritizeTags([...new Set(grouped.get(name) ?? [])].sort()),
            ...(spec ? { spec } : {}),
            ...(statusTags.has(name) ? { status: statusTags.get(name) } : {}),
            importing: spec?.from !== undefined && importPending(stream, name),
            ...(hold ? { hold: { ...hold, ...(upstream[name] ? { upstream: upstream[name] } : {}) } } : {})
        };
    });
    return { stream, annotations, uniqueImages: images.size, tagCount: names.length, tags };
}
/** The tag an ImageStreamTag reference leads to, when `tag` is one; a broken alias is printed as its own tag. */
function aliasTarget(stream, tag) {
    try {
        const { finalTag, multiple } = followTagReference(stream, tag);
        return multiple ? finalTag : undefined;
    }
    catch {
        return undefined;
    }
}
/**
 * `oc get istag` rows, sorted by name as the API lists them. A tag with no image is NotFound on the server, so it
 * has no row.
 */
function imageStreamTagRows(streams) {
    const rows = [];
    for (const stream of streams) {
        const soaking = readFirstSeen(stream);
        for (const list of stream.status?.tags ?? []) {
            const event = list.items?.[0];
            if (!event || !event.image)
                continue;
            const { policy, candidate } = policyColumns(stream, list.tag, soaking);
            rows.push({
                name: `${stream.metadata.name}:${list.tag}`,
                reference: resolveReferenceForTagEvent(stream, list.tag, event),
                created: event.created,
                image: event.image,
                policy,
                candidate
            });
        }
    }
    return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
/** The ImageStreamTag object (`oc get istag NAME:TAG -o yaml`), trimmed to what a state file knows. */
function imageStreamTag(stream, tag) {
    const list = stream.status?.tags?.find((t) => t.tag === tag);
    const event = list?.items?.[0];
    if (!event || !event.image)
        return undefined;
    const spec = stream.spec.tags?.find((t) => t.name === tag);
    return {
        apiVersion: 'image.openshift.io/v1',
        kind: 'ImageStreamTag',
        metadata: {
            name: `${stream.metadata.name}:${tag}`,
            ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
            creationTimestamp: event.created
        },
        tag: spec ?? null,
        generation: event.generation,
        lookupPolicy: stream.spec.lookupPolicy ?? { local: false },
        ...(list.conditions?.length ? { conditions: list.conditions } : {}),
        image: {
            metadata: { name: event.image },
            dockerImageReference: resolveReferenceForTagEvent(stream, tag, event)
        }
    };
}
function historyView(stream, tag) {
    const list = stream.status?.tags?.find((t) => t.tag === tag);
    const spec = stream.spec.tags?.find((t) => t.name === tag);
    if (!list && !spec)
        return undefined;
    const hold = listHolds(stream).find((h) => h.tag === tag);
    return {
        stream: stream.metadata.name,
        ...(stream.metadata.namespace ? { namespace: stream.metadata.namespace } : {}),
        tag,
        ...(spec?.from
            ? { from: `${spec.from.kind} ${spec.from.namespace ? `${spec.from.namespace}/` : ''}${spec.from.name}` }
            : {}),
        ...(hold
            ? { held: { digest: hold.digest, since: hold.since, ...(hold.upstream ? { upstream: hold.upstream } : {}) } }
            : {}),
        conditions: (list?.conditions ?? [])
            .filter((c) => c.status !== 'True')
            .map((c) => ({
            status: c.status,
            reason: c.reason,
            message: c.message,
            lastTransitionTime: c.lastTransitionTime
        })),
        items: (list?.items ?? []).map((item, i) => ({
            current: i === 0,
            generation: item.generation,
            image: item.image,
            dockerImageReference: item.dockerImageReference,
            created: item.created
        }))
    };
}
/**
 * `get istag -o wide`: the POLICY of a tag (its ordering, or "-") and its CANDIDATE — the tag waiting for its soak
 * time when there is one, else the tag its spec follows now.
 */
function policyColumns(stream, tag, soaking) {
    const index = (stream.spec.tags ?? []).findIndex((s) => s.name === tag);
    const ref = stream.spec.tags?.[index];
    let policy = '-';
    try {
        const parsed = ref ? parseTagPolicy(ref, index) : undefined;
        if (parsed)
            policy = parsed.ordering ? formatOrdering(parsed.ordering) : 'gates only';
    }
    catch {
        policy = '<invalid>';
    }
    const candidate = soaking[tag]?.from ?? ref?.from?.name ?? '';
    const tagOf = candidate.includes('@') ? candidate.slice(candidate.indexOf('@')) : candidate.replace(/^.*:/, '');
    return { policy, candidate: policy === '-' ? '' : `${tagOf}${soaking[tag] ? ' (soaking)' : ''}` };
}

/**
 * `imagestream import-image NAME[:TAG]`: `oc import-image` on a state file. The rules (stream/rules/import-image.ts)
 * decide what to import and force it with the tag's generation 0 in the working copy; the importer then asks the
 * registry right away and the file is written with what it said (never with generation 0). Like oc, it prints the
 * stream afterwards (`oc describe is`) and exits 1 with "imported completed with errors" when an image failed.
 */
function register$6(program) {
    const command = program
        .command('import-image')
        .description('import an image into a stream tag now, like `oc import-image` (creates the stream with --confirm)')
        .argument('<imagestream>', 'IMAGESTREAM[:TAG] (TAG defaults to latest)')
        .option('--from <ref>', "the image to import, e.g. quay.io/acme/web:1.4 (default: the tag's current source)")
        .option('--confirm', 'create the stream when it does not exist, or change its repository with --all')
        .option('--all', 'import every tag of the repository (or every external tag of the stream)')
        .option('--scheduled', 'keep importing the tag periodically')
        .addOption(new Option('--import-mode <mode>', 'OpenShift importMode (default Legacy)').choices([
        'Legacy',
        'PreserveOriginal'
    ]))
        .addOption(new Option('--reference-policy <policy>', 'how consumers pull it (default source)').choices(['source', 'local']))
        .option('--insecure', 'the registry may use plain http or an unverified certificate')
        .option('--dry-run', 'ask the registry and print the result, but write nothing')
        .option('-n, --namespace <namespace>', "the stream's namespace (when several share the name, or for a new one)")
        .addOption(outputOption('table'));
    addRegistryOptions(command).action(async (target, flags, cmd) => {
        const workspace = cliWorkspace(globals(cmd), { write: !flags.dryRun });
        const now = nowText({ now: () => workspace.now });
        const registry = registryFromFlags(flags);
        const outcome = await usingRegistry(registry.client, () => runCommand({
            verb: 'import-image',
            target,
            from: flags.from,
            confirm: flags.confirm,
            all: flags.all,
            scheduled: flags.scheduled,
            insecure: flags.insecure,
            referencePolicy: flags.referencePolicy,
            importMode: flags.importMode,
            namespace: flags.namespace
        }, {
            ...workspace,
            registry: registry.client,
            platform: registry.platform,
            historyLimit: registry.historyLimit,
            allowedRegistries: registry.allowedRegistries
        }));
        printDiagnostics(outcome.diagnostics);
        const after = outcome.edited[0]?.stream;
        if (!after)
            throw new ExitCode(EXIT_USAGE); // the rules refused the stream; the diagnostic says why
        const failed = outcome.failures.length > 0;
        printData(flags.output, after, () => {
            const verb = failed ? 'imported with errors' : 'imported';
            const dry = flags.dryRun ? ' (dry run, nothing written)' : '';
            const pinned = outcome.edits.map((e) => `${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`);
            const described = describeImageStream(describeView(after), now);
            return `imagestream.image.openshift.io/${after.metadata.name} ${verb}${dry}\n\n${described}${pinned.join('')}`;
        });
        if (failed) {
            for (const f of outcome.failures) {
                process.stderr.write(`error: tag ${f.tag} failed: Import failed (${f.reason}): ${f.message}\n`);
            }
            process.stderr.write('error: imported completed with errors\n');
            throw new ExitCode(EXIT_FAILED);
        }
    });
}

/**
 * The verbs over the whole working tree, one pipeline command each:
 *  - `import`: the scheduler tick — every due tag (scheduled or pending; --all: every importable tag);
 *  - `apply-triggers`: pin manifests to the streams' current images (no registry);
 *  - `sync`: both in one run; `--commit` commits exactly the files it changed.
 * Exit codes: 1 when an import failed, or when apply-triggers printed an error (a binding it cannot honour: a bad
 * annotation, a container that is not there); 2 when a state file could not be read or a stream was refused by the
 * rules (the rest still ran and was written); 0 otherwise. The other manifests are still written. A warning (an
 * unknown stream, a tag with no image yet) does not fail a run: it may be waiting for an import.
 */
function repeatable(value, previous) {
    return [...(previous ?? []), value];
}
function addManifestOptions(command) {
    return command
        .addOption(new Option('--pin-format <format>', 'what a pinned image looks like: repo@digest or repo:tag@digest')
        .choices(['digest', 'tag-digest'])
        .default('digest'))
        .option('--manifests <glob>', 'manifests to rewrite (repeatable; default every *.yaml/*.yml)', repeatable)
        .option('--exclude <glob>', 'manifests to leave alone (repeatable)', repeatable)
        .option('--ignore-local-policy', 'pin the source image even for referencePolicy: Local tags (no internal registry outside OpenShift)');
}
const SHARD_HELP = 'work on shard i of N only (the streams and files `imagestream plan --shards N` puts there)';
function register$5(program) {
    program
        .command('plan')
        .description('split the streams into at most N shards for a GitHub Actions matrix; no file is in two shards')
        .requiredOption('--shards <n>', 'how many shards at most (1-256)')
        .option('--manifests <glob>', 'manifests the streams write (repeatable; default every *.yaml/*.yml)', repeatable)
        .option('--exclude <glob>', 'manifests to leave alone (repeatable)', repeatable)
        .addOption(new Option('-o, --output <format>', 'output format').choices(['json']).default('json'))
        .action(async (flags, command) => {
        if (!/^\d+$/.test(flags.shards))
            throw new InputError(`must be a whole number; got "${flags.shards}"`, { field: '--shards' });
        const options = globals(command);
        const manifests = { include: flags.manifests, exclude: flags.exclude };
        let planned;
        try {
            planned = await planRepository(options.root, options.streamsGlob, manifests, Number(flags.shards));
        }
        catch (err) {
            if (err instanceof RangeError)
                throw new InputError(err.message, { field: '--shards' });
            throw err;
        }
        for (const d of planned.diagnostics)
            process.stderr.write(`${formatDiagnostic(d)}\n`);
        process.stdout.write(`${JSON.stringify(planned.plan)}\n`);
    });
    const plain = [
        {
            name: 'import',
            description: 'import every due tag (scheduled or pending) of every stream, as the scheduler does',
            dryRun: 'ask the registries and print what would change, but write nothing',
            options: addRegistryOptions
        },
        {
            name: 'apply-triggers',
            description: 'pin every manifest bound to a stream tag (trigger annotation, DeploymentConfig, marker) to its current image',
            dryRun: 'print the edits, write nothing',
            options: addManifestOptions
        }
    ];
    const [, applyCommand] = plain.map((verb) => verb
        .options(pipelineVerb(program, verb.name, verb.description, verb.dryRun))
        .action(async (flags, command) => {
        await run(verb.name, globals(command), flags);
    }));
    const syncCommand = pipelineVerb(program, 'sync', 'import due tags, then pin the manifests bound to them, in one run; --commit makes a local git commit', 'print what would change, write nothing')
        .option('--commit', 'commit exactly the files this run changed (git commit --only)')
        .option('--message <template>', 'commit subject template: {stream} {tag} {digest} {count} {streams}');
    addManifestOptions(addRegistryOptions(syncCommand)).action(async (flags, command) => {
        if (flags.commit && flags.dryRun)
            throw new InputError('--commit and --dry-run cannot be used together');
        if (flags.message !== undefined) {
            const problems = templateProblems(flags.message);
            if (problems.length)
                throw new InputError(problems.join('; '), { field: '--message' });
        }
        const options = globals(command);
        // Checked before anything is imported or written: a sync that cannot commit should change nothing.
        if (flags.commit)
            await assertGitRepository(options.root);
        await run('sync', options, flags);
    });
    applyCommand.addHelpText('after', '\nExit status: 0 even when a binding cannot be honoured (printed as a warning: the other manifests are still\n' +
        'right); 2 when a stream file cannot be read (its bindings are then unresolvable) or the options are wrong.');
}
/** The options the three pipeline verbs share: --all (the importing ones), --dry-run, --shard and -o. */
function pipelineVerb(program, name, description, dryRunHelp) {
    const command = program.command(name).description(description);
    if (name !== 'apply-triggers')
        command.option('--all', 'import every importable tag, due or not');
    return command
        .option('--dry-run', dryRunHelp)
        .option('--shard <i/N>', SHARD_HELP)
        .addOption(outputOption('table', ['table', 'json', 'yaml']));
}
async function assertGitRepository(root) {
    if (!(await isGitWorkTree(root))) {
        throw new InputError(`--commit needs a git repository, and ${root} is not inside one`, { field: '--commit' });
    }
}
function shardFlag(text) {
    try {
        return parseShardSpec(text);
    }
    catch (err) {
        throw new InputError(err.message, { field: '--shard' });
    }
}
async function run(verb, options, flags) {
    const intent = verb === 'apply-triggers' ? undefined : flags.all ? { kind: 'all' } : { kind: 'scheduled' };
    const registry = intent ? registryFromFlags(flags) : undefined;
    const command = verb === 'apply-triggers' ? { verb } : { verb, intent: intent };
    const result = await usingRegistry(registry?.client, () => runCommand(command, {
        root: options.root,
        streamsGlob: options.streamsGlob,
        manifests: { include: flags.manifests, exclude: flags.exclude },
        registry: registry?.client,
        now: cliClock().now(),
        platform: registry?.platform,
        historyLimit: registry?.historyLimit,
        allowedRegistries: registry?.allowedRegistries,
        pinFormat: flags.pinFormat,
        ignoreLocalPolicy: flags.ignoreLocalPolicy,
        ...(flags.shard !== undefined ? { shard: shardFlag(flags.shard) } : {}),
        write: !flags.dryRun
    }));
    let commit;
    if (flags.commit && result.written.length > 0) {
        const message = commitMessage(result, flags.message);
        const done = await commitLocal(options.root, result.written, message);
        commit = { committed: done.committed, ...(done.sha ? { sha: done.sha } : {}), subject: message.split('\n')[0] };
    }
    for (const d of result.diagnostics)
        process.stderr.write(`${formatDiagnostic(d)}\n`);
    printData(flags.output, jsonView(result, flags, commit), () => textView(verb, result, flags, commit));
    const isStreamFile = globMatcher(options.streamsGlob);
    const badStreams = result.diagnostics.some((d) => d.severity === 'error' && d.file !== undefined && isStreamFile(d.file));
    // apply-triggers does nothing but honour bindings: one it could not honour (an error printed above) fails it.
    const badManifests = verb === 'apply-triggers' && result.diagnostics.some((d) => d.severity === 'error');
    // A broken state file is the more urgent fix, so it wins over a failed import.
    const code = badStreams ? EXIT_USAGE : result.failures.length > 0 || badManifests ? EXIT_FAILED : EXIT_OK;
    if (code !== EXIT_OK)
        throw new ExitCode(code);
}
function tagName(c) {
    return `${c.namespace ? `${c.namespace}/` : ''}${c.stream}:${c.tag}`;
}
/** Subject and body for `sync --commit`: the tag changes when there are any, else what else the run wrote. */
function commitMessage(result, template) {
    if (result.changes.length > 0)
        return renderCommitMessage(template, messageVars(result.changes));
    if (result.edits.length > 0) {
        const body = result.edits.map((e) => `* ${singleLine(e.file)}:${e.line} ${singleLine(e.from)} → ${singleLine(e.newValue)}`);
        const count = `${result.edits.length} image reference${result.edits.length === 1 ? '' : 's'}`;
        return `imagestream: pin ${count} to current images\n\n${body.join('\n')}\n`;
    }
    const failed = result.failures.map((f) => `* ${singleLine(tagName(f))}: ${singleLine(f.reason)}: ${singleLine(f.message)}`);
    return `imagestream: record import status\n${failed.length ? `\n${failed.join('\n')}\n` : ''}`;
}
function jsonView(result, flags, commit) {
    return {
        dryRun: flags.dryRun === true,
        changes: result.changes,
        failures: result.failures,
        held: result.held,
        policy: result.policy,
        promotions: result.promotions,
        edits: result.edits.map((e) => ({
            file: e.file,
            line: e.line,
            column: e.column,
            field: e.field,
            from: e.from,
            oldValue: e.oldValue,
            newValue: e.newValue
        })),
        files: result.files.map((f) => ({ path: f.path, kind: f.kind })),
        written: result.written,
        diagnostics: result.diagnostics,
        ...(result.idleReason ? { idleReason: result.idleReason } : {}),
        ...(commit ? { commit } : {})
    };
}
function textView(verb, result, flags, commit) {
    let out = '';
    if (result.changes.length > 0) {
        const rows = result.changes.map((c) => [
            tagName(c),
            c.oldDigest ? shortDigest(c.oldDigest) : '(new)',
            shortDigest(c.newDigest),
            c.repository ? `${c.repository}@${c.newDigest}` : c.newDigest
        ]);
        out += table(['TAG', 'OLD', 'NEW', 'IMAGE'], rows);
    }
    for (const d of result.policy)
        out += `${policyLine(d)}\n`;
    for (const p of result.promotions)
        out += `${promotionLine(p)}\n`;
    for (const f of result.failures)
        out += `${tagName(f)}: import failed (${f.reason}): ${f.message}\n`;
    for (const h of result.held) {
        const upstream = h.upstreamDigest && h.upstreamDigest !== h.heldDigest ? `; upstream is at ${h.upstreamDigest}` : '';
        out += `${tagName(h)} is held at ${h.heldDigest}${upstream} (imagestream resume ${tagName(h)} lets it move)\n`;
    }
    for (const e of result.edits)
        out += `${e.file}:${e.line}: ${e.oldValue ?? '(unset)'} → ${e.newValue} (${e.from})\n`;
    if (result.files.length === 0) {
        out += `nothing to change: ${result.idleReason ?? 'everything is current'}\n`;
    }
    else if (flags.dryRun) {
        out += `dry run: would write ${result.files.map((f) => f.path).join(', ')}\n`;
    }
    else {
        out += `wrote ${result.written.length ? result.written.join(', ') : 'nothing (files already current)'}\n`;
    }
    if (flags.commit) {
        out += commit?.committed ? `committed ${commit.sha?.slice(0, 12)}: ${commit.subject}\n` : 'nothing to commit\n';
    }
    if (verb === 'import' && result.requested > 0 && result.files.length === 0 && result.failures.length === 0) {
        // Said explicitly because "nothing to change" after an import could be read as "nothing was asked".
        const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
        out += `checked ${plural(result.requested, 'tag')} (${plural(result.lookups, 'registry lookup')})\n`;
    }
    return out;
}

/**
 * `imagestream explain STREAM:TAG`: list the source repository's tags and say which a tag policy filtered out and
 * why, the candidates in order, and the winner — what the next import would pick. It writes nothing.
 */
/** Checked before any registry is opened: the tag must follow a DockerImage source under a tag policy. */
function explainTarget(stream, name, tag) {
    const index = (stream.spec.tags ?? []).findIndex((t) => t.name === tag);
    const ref = stream.spec.tags?.[index];
    if (!ref?.from || ref.from.kind !== 'DockerImage') {
        throw new InputError(`${name}:${tag} has no DockerImage source in spec; nothing to explain`);
    }
    const policy = parseTagPolicy(ref, index);
    if (!policy?.ordering) {
        throw new InputError(`${name}:${tag} has no ${POLICY_ANNOTATION}; it follows ${ref.from.name}`);
    }
    const repository = withoutTagOrDigest(parseReference(ref.from.name));
    return {
        stream,
        name,
        tag,
        ref: ref,
        policy: policy,
        repository
    };
}
/** Lists the repository's tags and runs the policy's selection over them. */
async function explainPolicy(target, registry) {
    const { ref, policy, repository } = target;
    const tags = await new PolicyImports({ registry, now: '' }, { kind: 'all' }).listTags(repository, ref.importPolicy?.insecure === true);
    const explanation = explainSelection(tags, policy);
    const soaking = readFirstSeen(target.stream)[target.tag];
    const data = {
        tag: `${target.name}:${target.tag}`,
        repository: repositoryOf(repository),
        policy: formatOrdering(policy.ordering),
        current: ref.from.name,
        ...explanation,
        ...(soaking ? { soaking } : {})
    };
    return { data, explanation };
}

function register$4(program) {
    const set = program.commands.find((c) => c.name() === 'set') ?? program.command('set');
    set
        .command('policy')
        .description('make a stream tag follow versions (semver, numerical, alphabetical) and gate its moves')
        .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
        .option('--policy <policy>', '"semver:<range>", "numerical:asc|desc" or "alphabetical:asc|desc"')
        .option('--filter <regex>', 'tags must match; named groups (?<name>…) or (?P<name>…)')
        .option('--extract <template>', 'what the ordering compares, e.g. $ts (default: the whole tag)')
        .option('--ignore <list>', 'comma-separated tags or /regex/ never picked')
        .option('--allow <list>', 'comma-separated tags or /regex/: only these may be picked')
        .option('--min-age <duration>', 'soak time from first sight before a move lands: 90m, 2h, 3d')
        .option('--immutable <bool>', '"true": a re-pushed tag is drift, not a move (default true for semver)')
        .option('--require-platforms <list>', 'an index must hold all of them, e.g. linux/amd64,linux/arm64')
        .option('--accept-drift <digest>', 'accept this once: the re-pushed digest (or "true")')
        .option('--remove', 'remove every policy annotation first')
        .option('-n, --namespace <namespace>', "the stream's namespace")
        .action(async (text, flags, command) => {
        const name = parseStreamTag(text, 'NAME:TAG', true);
        const { namespace, ...policy } = flags;
        const target = { ...name, namespace: namespace ?? name.namespace, tag: name.tag };
        const result = await runCommand({ verb: 'set-policy', target, policy }, cliWorkspace(globals(command)));
        const file = result.files[0]?.path;
        process.stdout.write(`${name.name}:${name.tag} policy ${file ? `updated (${file})` : 'not changed'}\n`);
    });
    const explain = program
        .command('explain')
        .description('list the tags a policy tag would consider, the ones filtered out and why, and the winner')
        .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
        .option('--all', 'list every filtered-out tag (default: the first 20 of each reason)')
        .option('-n, --namespace <namespace>', "the stream's namespace")
        .addOption(outputOption('table', ['table', 'json', 'yaml']));
    addRegistryOptions(explain).action(async (target, flags, cmd) => {
        const name = parseStreamTag(target, 'NAME:TAG', true);
        const repo = await loadRepository(globals(cmd));
        const loaded = requireStream(repo, name.name, flags.namespace ?? name.namespace);
        const checked = explainTarget(loaded.stream, name.name, name.tag);
        const registry = registryFromFlags(flags);
        const { data, explanation } = await usingRegistry(registry.client, () => explainPolicy(checked, registry.client));
        printData(flags.output, data, () => explainText(data, explanation, flags.all === true));
    });
}
function explainText(data, e, all) {
    let out = `${data.tag}: ${data.policy} over ${data.repository} (${e.considered} tags)\n`;
    out += `current: ${data.current}\n`;
    const valued = (c) => (c.value !== c.tag ? `${c.tag}  (${c.value})` : c.tag);
    out += `winner: ${e.winner ? valued(e.winner) : 'none'}\n`;
    if (data.soaking)
        out += `soaking: ${data.soaking.from} first seen ${data.soaking.seen}\n`;
    out += `candidates (${e.candidates.length}, best first):\n`;
    for (const c of all ? e.candidates : e.candidates.slice(0, 20))
        out += `  ${valued(c)}\n`;
    if (!all && e.candidates.length > 20)
        out += `  … ${e.candidates.length - 20} more (--all)\n`;
    const byReason = new Map();
    for (const r of e.rejected)
        byReason.set(r.reason, [...(byReason.get(r.reason) ?? []), `${r.tag}: ${r.detail}`]);
    out += `filtered out (${e.rejected.length}):\n`;
    for (const [reason, lines] of byReason) {
        out += `  ${reason} (${lines.length}):\n`;
        for (const line of all ? lines : lines.slice(0, 20))
            out += `    ${line}\n`;
        if (!all && lines.length > 20)
            out += `    … ${lines.length - 20} more (--all)\n`;
    }
    return out;
}

/**
 * `imagestream resolve REF`: what the registry says a reference points at, under an import mode — the question every
 * import starts from. Exit 0 on success, 1 on a registry error (reason and message on stderr), 2 on invalid input.
 */
function register$3(program) {
    program
        .command('resolve')
        .description('resolve an image reference to a digest, as an import would (Legacy: one platform; PreserveOriginal: the index)')
        .argument('<ref>', 'image reference, e.g. quay.io/acme/web:1.2 or 127.0.0.1:5000/acme/web@sha256:…')
        .option('--platform <os/arch[/variant]>', 'platform a Legacy import picks from an index (default linux/amd64)')
        .addOption(new Option('--import-mode <mode>', 'OpenShift importMode')
        .choices(['Legacy', 'PreserveOriginal'])
        .default('Legacy'))
        .option('--prefer-arch <arch>', 'like the importer.image.openshift.io/prefer-arch tag annotation')
        .option('--prefer-os <os>', 'like the importer.image.openshift.io/prefer-os tag annotation')
        .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml', 'table']).default('table'))
        .option('--insecure', 'allow plain http and unverified TLS for this registry (importPolicy.insecure)')
        .option('--docker-config <file>', 'docker config.json with credentials (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)')
        .action(async (refText, flags) => {
        let ref;
        let platform;
        try {
            ref = parseReference(refText);
            platform = flags.platform ? parsePlatform(flags.platform) : undefined;
        }
        catch (err) {
            throw new InputError(err.message, { field: flags.platform && ref ? '--platform' : 'REF' });
        }
        const client = createRegistryClient({
            dockerConfigFile: flags.dockerConfig ?? dockerConfigPath(process.env, homedir()),
            githubToken: process.env.GITHUB_TOKEN || undefined
        });
        try {
            const resolved = await client.resolve(ref, {
                importMode: flags.importMode,
                platform,
                preferArch: flags.preferArch,
                preferOs: flags.preferOs,
                insecure: flags.insecure
            });
            process.stdout.write(render(formatCanonical(ref), resolved, flags.output));
        }
        catch (err) {
            if (err instanceof RegistryError) {
                process.stderr.write(`error: ${err.reason}: ${err.message}\n`);
                throw new ExitCode(EXIT_FAILED);
            }
            if (err instanceof Error && err.name === 'DockerConfigError') {
                process.stderr.write(`error: ${err.message}\n`);
                throw new ExitCode(EXIT_USAGE);
            }
            throw err;
        }
        finally {
            await client.close();
        }
    });
}
/** The JSON shape `-o json|yaml` prints; stable, documented in the README's CLI section. */
function resolvedView(reference, r) {
    const view = { reference, digest: r.digest, mediaType: r.mediaType };
    if (r.platform)
        view.platform = r.platform;
    if (r.topDigest !== r.digest) {
        view.indexDigest = r.topDigest;
        view.indexMediaType = r.topMediaType;
    }
    if (r.manifests)
        view.manifests = r.manifests.map((m) => ({
            digest: m.digest,
            mediaType: m.mediaType,
            size: m.size,
            platform: m.platform
        }));
    return view;
}
function render(reference, r, format) {
    const view = resolvedView(reference, r);
    if (format === 'json')
        return `${JSON.stringify(view, null, 2)}\n`;
    if (format === 'yaml')
        return distExports.stringify(view);
    const rows = [
        ['REFERENCE', reference],
        ['DIGEST', r.digest],
        ['MEDIA TYPE', r.mediaType]
    ];
    if (r.platform)
        rows.push(['PLATFORM', formatPlatform(r.platform)]);
    if (r.topDigest !== r.digest)
        rows.push(['INDEX', r.topDigest]);
    const width = Math.max(...rows.map(([k]) => k.length));
    let out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
    if (r.manifests?.length) {
        const pw = Math.max(8, ...r.manifests.map((m) => formatPlatform(m.platform).length));
        out += `\n${'PLATFORM'.padEnd(pw)}  DIGEST\n`;
        for (const m of r.manifests)
            out += `${formatPlatform(m.platform).padEnd(pw)}  ${m.digest}${m.digest === r.digest && r.digest !== r.topDigest ? '  (chosen)' : ''}\n`;
    }
    return out;
}

const STREAM_TYPES = ['is', 'imagestream', 'imagestreams', 'imagestream.image.openshift.io'];
const TAG_TYPES = ['istag', 'imagestreamtag', 'imagestreamtags', 'imagestreamtag.image.openshift.io'];
function register$2(program) {
    program
        .command('create')
        .description('create an empty image stream file, like `oc create imagestream NAME`')
        .argument('<name>', 'stream name (a DNS subdomain)')
        .option('-n, --namespace <namespace>', 'metadata.namespace of the new stream')
        .action(async (name, flags, command) => {
        const result = await runCommand({ verb: 'create', name, namespace: flags.namespace }, cliWorkspace(globals(command)));
        printResultLines(result);
    });
    program
        .command('get')
        .description('list streams (`get is [NAME]`) or stream tags (`get istag [NAME:TAG]`) with the columns oc prints')
        .argument('<type>', `is | istag (also ${[...STREAM_TYPES.slice(1), ...TAG_TYPES.slice(1)].join(', ')})`)
        .argument('[name]', 'a stream [namespace/]NAME, or a tag [namespace/]NAME:TAG')
        .addOption(listingOutputOption())
        .option('--no-headers', NO_HEADERS_HELP)
        .action(async (type, name, flags, command) => {
        const lower = type.toLowerCase();
        const kind = STREAM_TYPES.includes(lower) ? 'is' : TAG_TYPES.includes(lower) ? 'istag' : undefined;
        if (!kind) {
            throw new InputError(`the server doesn't have a resource type "${type}"; use is or istag`, { field: 'TYPE' });
        }
        const repo = await loadRepository(globals(command));
        const now = nowText(cliClock());
        const streams = repo.streams.map((s) => s.stream);
        if (kind === 'is')
            getStreams(streams, name, flags, now, repo);
        else
            getTags(streams, name, flags, now, repo);
        // oc get exits 1 after printing what it could when some objects could not be read.
        if (repo.diagnostics.some((d) => d.severity === 'error'))
            throw new ExitCode(EXIT_FAILED);
    });
    program
        .command('describe')
        .description('show a stream like `oc describe is NAME`: tags, sources, history, import errors, holds')
        .argument('<name>', 'stream [namespace/]NAME (or: is NAME)')
        .argument('[name2]', 'the name, when the first argument is the type `is`')
        .action(async (first, second, _flags, command) => {
        let target = first;
        if (second !== undefined) {
            if (!STREAM_TYPES.includes(first.toLowerCase())) {
                throw new InputError(`describe takes one stream name, or \`is NAME\`; got "${first} ${second}"`, {
                    field: 'NAME'
                });
            }
            target = second;
        }
        const ref = parseStreamTag(target, 'NAME');
        if (ref.tag)
            throw new InputError(`"${target}" names a tag; describe takes a stream name`, { field: 'NAME' });
        const repo = await loadRepository(globals(command));
        const loaded = findStream(repo.streams, ref.name, ref.namespace);
        if (!loaded)
            notFound('imagestreams', `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
        process.stdout.write(describeImageStream(describeView(loaded.stream), nowText(cliClock())));
    });
    program
        .command('history')
        .description("a tag's history, newest first: generation, digest, when it was recorded; * marks the current item")
        .argument('<tag>', 'stream tag [namespace/]NAME:TAG')
        .addOption(listingOutputOption())
        .option('--no-headers', NO_HEADERS_HELP)
        .action(async (target, flags, command) => {
        const ref = parseStreamTag(target, 'NAME:TAG', true);
        const repo = await loadRepository(globals(command));
        const loaded = findStream(repo.streams, ref.name, ref.namespace);
        if (!loaded)
            notFound('imagestreams', `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
        const view = historyView(loaded.stream, ref.tag);
        if (!view)
            notFound('imagestreamtags', `${ref.name}:${ref.tag}`);
        process.stdout.write(renderData(flags.output, view) ?? renderHistory(view, nowText(cliClock()), flags));
    });
}
/** oc's answer for a name the server does not have: NotFound, exit 1 (not a usage error). */
function notFound(resource, name) {
    process.stderr.write(`Error from server (NotFound): ${resource}.image.openshift.io "${name}" not found\n`);
    throw new ExitCode(EXIT_FAILED);
}
function compare(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function listObject(items) {
    return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
}
function selectStreams(streams, name) {
    if (name === undefined)
        return streams;
    const ref = parseStreamTag(name, 'NAME');
    if (ref.tag)
        throw new InputError(`"${name}" names a tag; use \`get istag ${name}\``, { field: 'NAME' });
    const found = findStream(streams.map((stream) => ({ stream })), ref.name, ref.namespace);
    if (!found)
        notFound('imagestreams', name);
    return [found.stream];
}
function noneFound(repo) {
    // oc says this on stderr, so scripts reading stdout see an empty list.
    const why = repo.diagnostics.length ? ' (some stream files could not be read, see above)' : '';
    process.stderr.write(`No resources found${why}.\n`);
}
function getStreams(all, name, flags, now, repo) {
    // The API lists streams by namespace, then name, whatever order the files are in.
    const streams = [...selectStreams(all, name)].sort((a, b) => compare(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || compare(a.metadata.name, b.metadata.name));
    const data = renderData(flags.output, name !== undefined ? streams[0] : listObject(streams));
    if (data !== undefined)
        return void process.stdout.write(data);
    if (streams.length === 0)
        return noneFound(repo);
    if (flags.output.kind === 'name') {
        return void process.stdout.write(streams.map((s) => `imagestream.image.openshift.io/${s.metadata.name}\n`).join(''));
    }
    const t = getImageStreams(streams, now);
    const namespaced = streams.some((s) => s.metadata.namespace);
    const columns = namespaced ? ['NAMESPACE', ...t.columns] : t.columns;
    const rows = namespaced ? t.rows.map((r, i) => [streams[i].metadata.namespace ?? '', ...r]) : t.rows;
    process.stdout.write(renderRows(columns, rows, flags.headers));
}
function getTags(all, name, flags, now, repo) {
    let streams = all;
    let onlyTag;
    if (name !== undefined) {
        const ref = parseStreamTag(name, 'NAME:TAG');
        streams = selectStreams(all, `${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
        onlyTag = ref.tag;
        if (onlyTag && !imageStreamTag(streams[0], onlyTag))
            notFound('imagestreamtags', `${ref.name}:${onlyTag}`);
    }
    const keep = (stream) => onlyTag
        ? { ...stream, status: { ...stream.status, tags: stream.status.tags.filter((t) => t.tag === onlyTag) } }
        : stream;
    const selected = streams.map(keep);
    const objects = () => selected.flatMap((s) => (s.status?.tags ?? []).map((t) => imageStreamTag(s, t.tag)).filter(Boolean));
    const data = flags.output.kind === 'table' || flags.output.kind === 'wide' || flags.output.kind === 'name'
        ? undefined
        : renderData(flags.output, onlyTag ? objects()[0] : listObject(objects()));
    if (data !== undefined)
        return void process.stdout.write(data);
    const rows = imageStreamTagRows(selected);
    if (rows.length === 0)
        return noneFound(repo);
    if (flags.output.kind === 'name') {
        return void process.stdout.write(rows.map((r) => `imagestreamtag.image.openshift.io/${r.name}\n`).join(''));
    }
    const t = getImageStreamTags(rows, now);
    if (flags.output.kind !== 'wide')
        return void process.stdout.write(renderRows(t.columns, t.rows, flags.headers));
    // -o wide adds OpenShift's Priority-1 column "Image Name" (the image's digest name), then our tag policy and the
    // candidate it waits on (docs/policies.md).
    const columns = [...t.columns, 'IMAGE NAME', 'POLICY', 'CANDIDATE'];
    const wide = t.rows.map((cells, i) => [...cells, rows[i].image, rows[i].policy, rows[i].candidate]);
    process.stdout.write(renderRows(columns, wide, flags.headers));
}
function renderHistory(view, now, flags) {
    const mode = flags?.output.kind ?? 'table';
    if (mode === 'name')
        return view.items.map((i) => `${i.image || i.dockerImageReference}\n`).join('');
    const name = `${view.namespace ? `${view.namespace}/` : ''}${view.stream}:${view.tag}`;
    let out = `${name}${view.from ? ` from ${view.from}` : ''}\n`;
    if (view.held) {
        out += `held at ${view.held.digest} since ${view.held.since}`;
        const newer = view.held.upstream && view.held.upstream !== view.held.digest;
        out += newer ? `; newer upstream ${view.held.upstream}\n` : '\n';
    }
    for (const c of view.conditions) {
        const since = c.lastTransitionTime ? ` (since ${c.lastTransitionTime})` : '';
        out += `! import failed (${c.reason ?? 'Unknown'}): ${c.message ?? ''}${since}\n`;
    }
    if (view.items.length === 0)
        return `${out}no history yet: the tag has not been imported\n`;
    const rows = view.items.map((i) => [
        i.current ? '*' : '',
        String(i.generation),
        i.image || '(reference)',
        i.created,
        formatAge(i.created, now),
        i.dockerImageReference
    ]);
    const columns = ['CURRENT', 'GENERATION', 'IMAGE', 'CREATED', 'AGE', 'REFERENCE'];
    if (flags && !flags.headers)
        return renderRows(columns, rows, false);
    return `${out}\n${renderRows(columns, rows, true)}`;
}

/**
 * `imagestream tag SOURCE DEST...` and `imagestream tag -d DEST...`: `oc tag` on the state files, as a `tag`
 * command for the pipeline. A DEST naming a stream that has no file yet creates one, as `oc tag` creates the
 * destination stream. Tagging an external image only marks the tag pending; the next `import` (or `sync`) records
 * its digest. Every stream the command touches, and every manifest bound to a tag it moves, is written as one unit.
 */
function register$1(program) {
    program
        .command('tag')
        .description('point stream tags at an image or another tag, like `oc tag` (external images are imported by the next `import`)')
        .argument('<args...>', 'SOURCE DEST [DEST...], or DEST... with -d; DEST is [namespace/]stream:tag')
        .option('--alias', 'DEST tracks the source tag (same stream only), instead of a snapshot of its current image')
        .option('--scheduled', 'import the external image periodically (every `imagestream import`)')
        .option('--reference', 'DEST only references the source: it is never imported')
        .addOption(new Option('--reference-policy <policy>', 'how consumers pull it').choices(['source', 'local']))
        .addOption(new Option('--import-mode <mode>', 'OpenShift importMode').choices(['Legacy', 'PreserveOriginal']))
        .option('--insecure', 'the registry may use plain http or an unverified certificate')
        .option('--source <kind>', 'source kind instead of inferring it: docker, istag or isimage')
        .option('-d, --delete', 'delete the named tags (spec and history)')
        .action(async (args, flags, command) => {
        const { delete: remove, ...tagFlags } = flags;
        const result = await runCommand({
            verb: 'tag',
            delete: remove === true,
            ...(remove ? {} : { source: args[0] }),
            destinations: remove ? args : args.slice(1),
            flags: tagFlags
        }, cliWorkspace(globals(command)));
        printResultLines(result);
    });
}

function register(program) {
    const set = program.command('set').description('change a setting of a manifest, like `oc set`');
    set
        .command('triggers')
        .description('add or remove an image trigger annotation on a Deployment, DaemonSet, StatefulSet or CronJob')
        .argument('<object>', 'KIND/NAME, e.g. deployment/web or deploy/web')
        .requiredOption('-f, --filename <file>', 'the manifest file holding the object (relative to -C)')
        .option('--from-image <stream:tag>', 'the stream tag whose image the containers follow: [namespace/]stream:tag')
        .option('-c, --containers <names>', 'containers to update (comma-separated; repeatable)', commaList)
        .option('--manual', 'record the trigger paused: apply-triggers leaves these containers alone')
        .option('--auto', 'record the trigger active (the default)')
        .option('--remove', 'remove the triggers from --from-image')
        .option('-n, --namespace <namespace>', "the object's namespace, when the file holds several with that name")
        .action(async (object, flags, command) => {
        const slash = object.indexOf('/');
        if (slash <= 0 || slash === object.length - 1 || object.indexOf('/', slash + 1) >= 0) {
            throw new InputError(`"${object}" must be KIND/NAME, e.g. deployment/web`, { field: 'OBJECT' });
        }
        if (flags.manual && flags.auto)
            throw new InputError('--manual and --auto cannot be used together');
        if (!flags.fromImage) {
            throw new InputError('--from-image is required: the stream tag the containers follow', {
                field: '--from-image'
            });
        }
        const result = await runCommand({
            verb: 'set-triggers',
            file: flags.filename,
            kind: object.slice(0, slash),
            name: object.slice(slash + 1),
            ...(flags.namespace ? { namespace: flags.namespace } : {}),
            fromImage: flags.fromImage,
            containers: flags.containers,
            mode: flags.manual ? 'manual' : 'auto',
            remove: flags.remove
        }, cliWorkspace(globals(command)));
        const changed = result.files.length > 0;
        const display = result.files[0]?.path ?? flags.filename;
        process.stdout.write(`${object} ${changed ? 'triggers updated' : 'triggers not changed'} (${display})\n`);
    });
}

/** What every verb shares and `--help` should say once: the environment it reads and the exit codes. */
function environment(program) {
    program.addHelpText('after', `
Environment:
  DOCKER_CONFIG     directory of the docker config.json with registry credentials (default ~/.docker)
  GITHUB_TOKEN      used for ghcr.io when the docker config has no credentials for it
  IMAGESTREAM_NOW   RFC 3339 time (2024-05-02T09:15:03Z) used as "now" for everything written and every age
                    printed; for tests and reproducible demos only, never for real runs

Exit status: 0 success, 1 an import failed, 2 invalid input or usage (errors name file:line or the option).`);
}
const registrars = [
    register$2,
    register$1,
    register$6,
    register$5,
    register$7,
    register,
    register$4,
    register$3,
    environment
];

/* The CLI entry (dist/cli.js, `bin/imagestream.js`): wires the verb groups and exits with the verb's code. */
keepShortLivedDocumentsYoung();
// `imagestream get is | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err) => {
        if (err.code === 'EPIPE')
            process.exit(process.exitCode ?? 0);
        throw err;
    });
}
runCli(process.argv.slice(2), registrars).then((code) => {
    process.exitCode = code;
}, (err) => {
    process.stderr.write(`error: ${String(err)}\n`);
    process.exitCode = 1;
});
