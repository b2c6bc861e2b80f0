#!/usr/bin/perl
# tests/tui/cuts.pl - find words cut on a captured screen without "…".
# Copyright (C) 2026 The vigia developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: cuts.pl VOCABULARY KNOWN SCREEN...
#
# VOCABULARY: text whose words are every word the wizard may show whole
# (the msgids and msgstrs of po/es.po, what the test typed).  KNOWN: one
# string a line that the screen shows whole or cut (camera models,
# names, addresses, serials).  A screen line is reported when:
#  - a word on it is not a word of the vocabulary but the start of one
#    ("transmi" for "transmisiones"), and no "…" follows it;
#  - a blank-delimited token is the start of a known string but not a
#    known string itself ("IPC-HDW2431T-AS-S" for "...-S2"), without "…";
#  - it has a letter or digit in the last column of the terminal (80),
#    which nothing but a cut can fill.
# Prints "SCREEN:LINE: |text| (why)" for each and exits 1 if any.
use strict;
use warnings;
use utf8;
use open qw(:std :encoding(UTF-8));

my ($vocab_file, $known_file, @screens) = @ARGV;
my (%word, %prefix, %known, %kprefix);

open my $v, '<', $vocab_file or die "$vocab_file: $!";
while (my $l = <$v>) {
	$l =~ s/\\n/ /g;
	for my $w ($l =~ /([\p{L}\p{N}]+)/g) {
		$w = lc $w;
		$word{$w} = 1;
	}
}
close $v;
for my $w (keys %word) {
	next unless $w =~ /\p{L}/;
	for my $i (3 .. length($w) - 1) {
		$prefix{substr($w, 0, $i)} = 1;
	}
}
open my $k, '<', $known_file or die "$known_file: $!";
while (my $l = <$k>) {
	chomp $l;
	next if $l eq '';
	$known{$l} = 1;
	for my $i (4 .. length($l) - 1) {
		$kprefix{substr($l, 0, $i)} = 1;
	}
	# its words are words too
	$word{lc $_} = 1 for $l =~ /([\p{L}\p{N}]+)/g;
}
close $k;

my $bad = 0;
for my $s (@screens) {
	open my $f, '<', $s or die "$s: $!";
	my @lines = <$f>;
	close $f;
	chomp @lines;
	# the rows a pop-up box covers (its frame included): what shows
	# through them is cut by the box, not by the wizard
	my ($top, %covered);
	for my $i (0 .. $#lines) {
		$top = $i if $lines[$i] =~ /lq{3,}.*k/;
		if (defined $top && $lines[$i] =~ /mq{3,}.*j/) {
			$covered{$_} = 1 for $top .. $i;
			undef $top;
		}
	}
	my $n = 0;
	for my $line (@lines) {
		$n++;
		next if $covered{$n - 1};
		my $why;
		# the frames of boxes, as tmux draws them without ACS
		(my $t = $line) =~ s/[lmtu]?q{3,}[kjtu]?/ /g;
		$t =~ s/(^|\s)x(?=\s|$)/$1 /g;
		$t =~ s/\s[xk]$//;
		if (length($line) >= 80 && substr($line, 79, 1) =~ /[\p{L}\p{N}]/
		    && $line !~ /q{10}/) {
			$why = "a letter in the last column";
		}
		# a path is not made of words (distcheck's _inst/etc/...)
		(my $tw = $t) =~ s{\S*/\S*}{ }g;
		while (!$why && $tw =~ /([\p{L}\p{N}]+)(…)?/g) {
			my ($orig, $mark) = ($1, $2);
			my $w = lc $orig;
			next if $mark || $w !~ /\p{L}/ || length($w) < 3;
			$why = "\"$orig\" is the start of a word" if
			    !$word{$w} && $prefix{$w};
		}
		for my $tok (split /\s+/, $t) {
			last if $why;
			next if $tok eq '' || $tok =~ /…$/;
			$tok =~ s/[,;.)]+$//;
			$why = "\"$tok\" is the start of a known string" if
			    $kprefix{$tok} && !$known{$tok};
		}
		next unless $why;
		print "$s:$n: |$line| ($why)\n";
		$bad++;
	}
}
exit($bad > 0 ? 1 : 0);
